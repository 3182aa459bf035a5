package dev.transfusion.datasets.fashion;

import dev.transfusion.api.CheckpointException;
import dev.transfusion.core.io.AtomicDirectory;
import dev.transfusion.core.io.Manifest;
import dev.transfusion.core.io.NpyArray;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The judge saved like any model: one {@code param.NAME.npy} a parameter and a checksummed {@code manifest.json},
 * written atomically (a failed write leaves the previous judge), verified on load.
 */
public final class ClassifierDirectory {
    static final String FORMAT = "fashion-mnist-judge";
    static final int VERSION = 1;

    private ClassifierDirectory() {
    }

    /** Writes {@code classifier} to {@code dir}. */
    public static void save(Path dir, FashionClassifier classifier) {
        AtomicDirectory.write(dir, tmp -> {
            for (var e : ClassifierNetwork.parameterShapes().entrySet()) {
                try (OutputStream out = Files.newOutputStream(tmp.resolve("param." + e.getKey() + ".npy"))) {
                    NpyArray.writeFloats(out, e.getValue(), classifier.weights().get(e.getKey()));
                }
            }
            Manifest.write(tmp, FORMAT, VERSION);
        });
    }

    /** Reads the judge in {@code dir}; a missing, corrupt or mis-shaped file is named. */
    public static FashionClassifier load(Path dir) {
        Manifest.verify(dir, FORMAT, VERSION);
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (var e : ClassifierNetwork.parameterShapes().entrySet()) {
            Path f = dir.resolve("param." + e.getKey() + ".npy");
            NpyArray a = NpyArray.read(f);
            if (!Arrays.equals(a.shape(), e.getValue())) {
                throw new CheckpointException(f + ": expected shape " + Arrays.toString(e.getValue()) + ", got "
                        + Arrays.toString(a.shape()));
            }
            weights.put(e.getKey(), a.floats());
        }
        return new FashionClassifier(weights);
    }
}
