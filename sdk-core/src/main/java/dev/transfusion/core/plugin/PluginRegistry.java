package dev.transfusion.core.plugin;

import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.DiscreteModalityPlugin;
import dev.transfusion.api.spi.ModalityPlugin;
import dev.transfusion.api.spi.ModalityRegistry;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Answers plugins by modality name; refuses two plugins that claim one name. */
@Singleton
public final class PluginRegistry implements ModalityRegistry {
    private final Map<String, ModalityPlugin> byName;

    @Inject
    PluginRegistry(Set<ModalityPlugin> plugins) {
        Map<String, ModalityPlugin> map = new TreeMap<>();
        for (ModalityPlugin p : plugins) {
            ModalityPlugin prior = map.putIfAbsent(p.modality(), p);
            if (prior != null) {
                throw new PluginException("modality '" + p.modality() + "' is claimed by two plugins: "
                        + prior.getClass().getName() + " " + prior.version() + " and " + p.getClass().getName()
                        + " " + p.version() + "; remove one jar from the class path");
            }
        }
        this.byName = Map.copyOf(map);
    }

    /** The registry of the plugins on the class path, wired by Guice. */
    public static ModalityRegistry fromClassPath() {
        return Guice.createInjector(PluginModule.fromClassPath()).getInstance(ModalityRegistry.class);
    }

    @Override
    public Set<String> modalities() {
        return new java.util.TreeSet<>(byName.keySet());
    }

    @Override
    public ModalityPlugin plugin(String modality) {
        ModalityPlugin p = byName.get(modality);
        if (p == null) {
            throw new PluginException("no plugin for modality '" + modality + "'; registered: "
                    + (byName.isEmpty() ? "none (is the plugin jar on the class path?)" : modalities()));
        }
        return p;
    }

    @Override
    public DiscreteModalityPlugin discrete(String modality) {
        ModalityPlugin p = plugin(modality);
        if (p instanceof DiscreteModalityPlugin d) {
            return d;
        }
        throw new PluginException("modality '" + modality + "' (" + p.getClass().getName()
                + ") is continuous, but a discrete (tokenizer) plugin was asked for");
    }

    @Override
    public ContinuousModalityPlugin continuous(String modality) {
        ModalityPlugin p = plugin(modality);
        if (p instanceof ContinuousModalityPlugin c) {
            return c;
        }
        throw new PluginException("modality '" + modality + "' (" + p.getClass().getName()
                + ") is discrete, but a continuous (codec) plugin was asked for");
    }
}
