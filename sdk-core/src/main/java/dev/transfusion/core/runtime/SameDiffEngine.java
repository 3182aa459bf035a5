package dev.transfusion.core.runtime;

import com.google.inject.ProvisionException;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.Trainer;
import dev.transfusion.api.TrainingOptions;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.api.spi.EngineProvider;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.core.CpuBackend;
import dev.transfusion.core.EngineSettings;
import dev.transfusion.core.plugin.DataSetRegistry;
import dev.transfusion.core.plugin.PluginRegistry;
import java.nio.file.Path;

/** The engine on DL4J SameDiff, found by {@link dev.transfusion.api.Transfusion} through ServiceLoader. */
public final class SameDiffEngine implements EngineProvider {
    static {
        // before ND4J loads its natives and slf4j its first logger: oneDNN and quiet logs, unless the user
        // set them (see EngineSettings)
        EngineSettings.applyBeforeNd4j();
    }

    private volatile ModalityRegistry registry;

    @Override
    public String name() {
        return "sdk-core (SameDiff, nd4j 1.0.0-M2.1)";
    }

    @Override
    public ModalityRegistry registry() {
        ModalityRegistry r = registry;
        if (r == null) {
            synchronized (this) {
                if (registry == null) {
                    try {
                        registry = PluginRegistry.fromClassPath();
                    } catch (ProvisionException e) {
                        // Guice wraps the registry's own message; surface that message alone
                        Throwable cause = e.getCause();
                        if (cause instanceof PluginException pe) {
                            throw pe;
                        }
                        throw e;
                    }
                }
                r = registry;
            }
        }
        return r;
    }

    @Override
    public TransfusionModel load(Path modelDir) {
        EngineSettings.applyThreads();
        return LoadedModel.load(modelDir, registry());
    }

    @Override
    public Trainer trainer(TrainingOptions options) {
        EngineSettings.applyThreads();
        // data sets are looked up per trainer: a cheap ServiceLoader pass, and no state to keep
        return new ModelTrainer(options, registry(), DataSetRegistry.fromClassPath());
    }
}
