package dev.transfusion.api.spi;

import dev.transfusion.api.Trainer;
import dev.transfusion.api.TrainingOptions;
import dev.transfusion.api.TransfusionModel;
import java.nio.file.Path;

/**
 * The engine behind {@link dev.transfusion.api.Transfusion}, found with {@link java.util.ServiceLoader}
 * ({@code sdk-core} provides one). Applications never call this directly.
 */
public interface EngineProvider {

    /** The engine's name and version, for messages. */
    String name();

    /** The modality plugins on the class path. */
    ModalityRegistry registry();

    /** Loads a model directory. */
    TransfusionModel load(Path modelDir);

    /** A trainer for the given options. */
    Trainer trainer(TrainingOptions options);
}
