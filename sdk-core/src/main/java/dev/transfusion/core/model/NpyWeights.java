package dev.transfusion.core.model;

import dev.transfusion.api.CheckpointException;
import dev.transfusion.core.io.NpyArray;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weights as a directory of {@code param.NAME.npy} files in torch layout, named as the reference names
 * them: a model trained in PyTorch loads here, and ours can be inspected with NumPy.
 */
public final class NpyWeights {
    private NpyWeights() {
    }

    /** The file of a parameter inside {@code dir}. */
    public static Path file(Path dir, String name) {
        return dir.resolve("param." + name + ".npy");
    }

    /** Writes every parameter of {@code layout} from {@code values}. */
    public static void write(Path dir, ParameterLayout layout, Map<String, float[]> values) throws IOException {
        Files.createDirectories(dir);
        for (var e : layout.shapes().entrySet()) {
            float[] v = values.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("no value for parameter " + e.getKey());
            }
            try (OutputStream out = Files.newOutputStream(file(dir, e.getKey()))) {
                NpyArray.writeFloats(out, e.getValue(), v);
            }
        }
    }

    /** Reads every parameter of {@code layout}; a missing file or a wrong shape names the file. */
    public static Map<String, float[]> read(Path dir, ParameterLayout layout) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : layout.shapes().entrySet()) {
            Path f = file(dir, e.getKey());
            if (!Files.isRegularFile(f)) {
                throw new CheckpointException("weight file " + f + " is missing");
            }
            NpyArray a;
            try {
                a = NpyArray.read(f);
            } catch (RuntimeException ex) {
                throw new CheckpointException(ex.getMessage(), ex);
            }
            if (!Arrays.equals(a.shape(), e.getValue())) {
                throw new CheckpointException(f + ": expected shape " + Arrays.toString(e.getValue())
                        + ", got " + Arrays.toString(a.shape()));
            }
            out.put(e.getKey(), a.floats());
        }
        return out;
    }
}
