package dev.transfusion.core.model;

import dev.transfusion.core.io.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            NpyArray.writeTensor(file(dir, e.getKey()), e.getValue(), v);
        }
    }

    /** Reads every parameter of {@code layout}; a missing file or a wrong shape names the file. */
    public static Map<String, float[]> read(Path dir, ParameterLayout layout) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : layout.shapes().entrySet()) {
            out.put(e.getKey(), NpyArray.readTensor(file(dir, e.getKey()), e.getValue()));
        }
        return out;
    }
}
