package dev.transfusion.core.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import dev.transfusion.api.spi.ModalityPlugin;
import dev.transfusion.api.spi.ModalityRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds every modality plugin into a Guice {@link Multibinder} set and the registry over it.
 * Plugins come from {@link java.util.ServiceLoader} (jars on the class path and in the plugin directory, see
 * {@link PluginDiscovery}) plus any given explicitly, so
 * tests and applications can add a plugin without a services file.
 */
public final class PluginModule extends AbstractModule {
    private static final Logger LOG = LoggerFactory.getLogger(PluginModule.class);
    private final List<ModalityPlugin> plugins;

    /** A module of the given plugins only. */
    public PluginModule(List<? extends ModalityPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    /** A module of the plugins found on the class path by {@link ServiceLoader}. */
    public static PluginModule fromClassPath() {
        return fromClassPath(List.of());
    }

    /**
     * The plugins on the class path and in the plugin directory ({@link PluginDiscovery}) plus {@code extra}. A
     * plugin that fails to load is reported once on the log (its jar and the reason) and left out.
     */
    public static PluginModule fromClassPath(List<? extends ModalityPlugin> extra) {
        PluginDiscovery.Result discovered = PluginDiscovery.discover();
        for (PluginDiscovery.Failure f : discovered.failures()) {
            LOG.warn("{}; the other plugins are loaded", f);
        }
        var found = new java.util.ArrayList<ModalityPlugin>(discovered.instances());
        found.addAll(extra);
        return new PluginModule(found);
    }

    @Override
    protected void configure() {
        Multibinder<ModalityPlugin> set = Multibinder.newSetBinder(binder(), ModalityPlugin.class);
        // Bound as instances: a plugin instance is the unit ServiceLoader hands us, and two equal
        // instances must stay two entries so that the registry can report the clash.
        for (ModalityPlugin p : plugins) {
            set.addBinding().toInstance(p);
        }
        set.permitDuplicates();
        bind(ModalityRegistry.class).to(PluginRegistry.class);
    }
}
