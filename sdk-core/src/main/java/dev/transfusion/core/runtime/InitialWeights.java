package dev.transfusion.core.runtime;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.core.TransfusionConfig;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The weights a fine-tuning run starts from: a trained model directory's, read and checked against the run's
 * configuration. Every field must agree (sizes, vocabulary, special-token ids, schedule), as a weight of another
 * shape, or an id that means another token, would train into nonsense; the error lists each field that differs.
 */
final class InitialWeights {
    private InitialWeights() {
    }

    /** The weights of {@code modelDir}, whose configuration must equal {@code config}. */
    static Map<String, float[]> read(Path modelDir, TransfusionConfig config, ModalityRegistry registry) {
        ModelDirectory.Contents model = ModelDirectory.read(modelDir, registry);
        List<String> differ = differences(model.config(), config);
        if (!differ.isEmpty()) {
            throw new InvalidInputException("cannot fine-tune from " + modelDir + ": its configuration differs from "
                    + "this run's in " + String.join(", ", differ) + " (model vs run); expected the same preset, "
                    + "tokenizer and image codec it was trained with");
        }
        return model.weights();
    }

    /** {@code field a vs b} for every record field where the two configurations differ. */
    static List<String> differences(TransfusionConfig a, TransfusionConfig b) {
        List<String> out = new ArrayList<>();
        try {
            for (RecordComponent c : TransfusionConfig.class.getRecordComponents()) {
                Object x = c.getAccessor().invoke(a), y = c.getAccessor().invoke(b);
                if (!x.equals(y)) {
                    out.add(c.getName() + " " + x + " vs " + y);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
