package dev.transfusion.api;

import dev.transfusion.api.spi.EngineProvider;
import dev.transfusion.api.spi.ModalityRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The entry point. Finds the engine on the class path (add {@code sdk-core} at run time) and hands out
 * the plugin registry, models and trainers:
 *
 * <pre>{@code
 * try (TransfusionModel model = Transfusion.load(Path.of("out/model"))) {
 *     String caption = model.caption(image, GenerationOptions.DEFAULTS);
 * }
 * }</pre>
 */
public final class Transfusion {

    private Transfusion() {
    }

    private static volatile EngineProvider engine;

    /** The engine found on the class path; exactly one must be present. */
    public static EngineProvider engine() {
        EngineProvider e = engine;
        if (e == null) {
            synchronized (Transfusion.class) {
                if (engine == null) {
                    engine = find();   // a failure throws here every time, with its message, and caches nothing
                }
                e = engine;
            }
        }
        return e;
    }

    /** The modality plugins on the class path. */
    public static ModalityRegistry registry() {
        return engine().registry();
    }

    /** Loads a model directory written by training. */
    public static TransfusionModel load(Path modelDir) {
        return engine().load(modelDir);
    }

    /** A trainer for the given options. */
    public static Trainer trainer(TrainingOptions options) {
        return engine().trainer(options);
    }

    private static EngineProvider find() {
        List<EngineProvider> found = ServiceLoader.load(EngineProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        if (found.isEmpty()) {
            throw new PluginException("no Transfusion engine on the class path: add the dev.transfusion:sdk-core "
                    + "dependency (runtime scope is enough)");
        }
        if (found.size() > 1) {
            throw new PluginException("several Transfusion engines on the class path: "
                    + found.stream().map(EngineProvider::name).toList() + "; keep one");
        }
        return found.get(0);
    }
}
