package dev.transfusion.core.runtime;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.core.io.AtomicDirectory;
import dev.transfusion.core.model.NpyWeights;
import dev.transfusion.core.model.ParameterLayout;
import dev.transfusion.core.model.SafeTensorWeights;
import dev.transfusion.core.model.WeightFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.file.StandardCopyOption;

/**
 * A model's weights written in either format, under the reference's parameter names: the weights alone
 * (one safetensors file, or a folder of {@code param.NAME.npy}) or a whole model directory that loads as
 * the original does. Both read the source in whichever format it keeps its weights, and never overwrite.
 */
public final class WeightExport {
    private WeightExport() {
    }

    /** Writes the weights of {@code modelDir} to {@code out}: a safetensors file, or a folder of npy files. */
    public static ModelDirectory.Weights weights(Path modelDir, WeightFormat format, Path out) {
        refuseExisting(out);
        ModelDirectory.Weights w = ModelDirectory.readWeights(modelDir);
        ParameterLayout layout = new ParameterLayout(w.config());
        try {
            switch (format) {
                case NPY -> AtomicDirectory.write(out, tmp -> NpyWeights.write(tmp, layout, w.values()));
                case SAFETENSORS -> {
                    Path parent = out.toAbsolutePath().getParent();
                    Files.createDirectories(parent);
                    // written beside the target, then moved: a reader never sees half a file
                    Path tmp = Files.createTempFile(parent, "." + out.getFileName(), ".tmp");
                    try {
                        SafeTensorWeights.write(tmp, layout, w.values());
                        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        return w;
    }

    /** Writes a copy of the model directory {@code modelDir} at {@code out} with its weights in {@code format}. */
    public static ModelDirectory.Weights model(Path modelDir, WeightFormat format, Path out, ModalityRegistry registry) {
        refuseExisting(out);
        ModelDirectory.Contents c = ModelDirectory.read(modelDir, registry);
        try {
            Map<String, Path> codecs = new LinkedHashMap<>();
            Map<String, String> versions = new LinkedHashMap<>();
            for (ModelDirectory.ModalityEntry e : c.metadata().entries()) {
                codecs.put(e.name(), modelDir.resolve(e.codec()));
                versions.put(e.name(), e.version());
            }
            ModelDirectory.write(out, c.config(), c.weights(), c.tokenizer(), codecs, versions,
                    c.metadata().textModality(), c.metadata().textVersion(), c.metadata().imageSize(), format);
        } finally {
            c.closeCodecs();
        }
        return new ModelDirectory.Weights(c.config(), c.weights(), format);
    }

    private static void refuseExisting(Path out) {
        if (Files.exists(out)) {
            throw new InvalidInputException(out + " already exists; export writes only to a new path, so that "
                    + "nothing is overwritten");
        }
    }
}
