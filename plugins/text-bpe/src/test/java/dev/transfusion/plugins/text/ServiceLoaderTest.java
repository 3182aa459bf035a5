package dev.transfusion.plugins.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.transfusion.api.spi.DiscreteModalityPlugin;
import dev.transfusion.api.spi.ModalityPlugin;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The plugin is registered for {@link ServiceLoader} under the "text" modality. */
class ServiceLoaderTest {

    @Test
    void serviceLoaderFindsTheTextPlugin() {
        List<ModalityPlugin> text = ServiceLoader.load(ModalityPlugin.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.modality().equals("text"))
                .toList();
        assertEquals(1, text.size());
        ModalityPlugin plugin = text.get(0);
        assertEquals(BpeTextPlugin.class, plugin.getClass());
        assertEquals(BpeTextPlugin.VERSION, plugin.version());
        assertFalse(plugin.description().isBlank());
        assertInstanceOf(DiscreteModalityPlugin.class, plugin);
    }
}
