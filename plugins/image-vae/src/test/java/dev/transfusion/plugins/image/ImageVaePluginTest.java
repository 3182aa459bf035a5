package dev.transfusion.plugins.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.ModalityPlugin;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ImageVaePluginTest {
    @Test
    void isFoundByServiceLoader() {
        ContinuousModalityPlugin image = null;
        for (ModalityPlugin p : ServiceLoader.load(ModalityPlugin.class)) {
            if (p instanceof ImageVaePlugin v) {
                image = v;
            }
        }
        assertTrue(image != null, "ImageVaePlugin is registered in META-INF/services");
        assertEquals("image", image.modality());
        assertEquals("<boi>", image.beginToken());
        assertEquals("<eoi>", image.endToken());
        assertEquals(ImageVaePlugin.VERSION, image.version());
    }
}
