package dev.transfusion.core.model;

import dev.transfusion.api.CheckpointException;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.core.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Weights as one safetensors file, float32, named as the reference's {@code state_dict} names them
 * ({@code layers.0.attention.wq.weight}, ...) in torch layout, so that {@code load_state_dict} takes them.
 */
public final class SafeTensorWeights {
    /** The file's name inside a model directory. */
    public static final String FILE = "weights.safetensors";
    // what torch-side loaders look for: "pt" says the tensors are torch's
    private static final Map<String, String> METADATA = Map.of("format", "pt");

    private SafeTensorWeights() {
    }

    /** Writes every parameter of {@code layout} from {@code values} to {@code file}. */
    public static void write(Path file, ParameterLayout layout, Map<String, float[]> values) throws IOException {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        for (var e : layout.shapes().entrySet()) {
            float[] v = values.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("no value for parameter " + e.getKey());
            }
            tensors.put(e.getKey(), new SafeTensors.Tensor("F32", e.getValue(), v));
        }
        SafeTensors.write(file, tensors, METADATA);
    }

    /** Reads every parameter of {@code layout}; a missing, extra or misshapen tensor is named with the file. */
    public static Map<String, float[]> read(Path file, ParameterLayout layout) {
        SafeTensors.Contents contents;
        try {
            contents = SafeTensors.read(file);
        } catch (InvalidInputException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
        Map<String, SafeTensors.Tensor> tensors = contents.tensors();
        TreeSet<String> extra = new TreeSet<>(tensors.keySet());
        extra.removeAll(layout.shapes().keySet());
        if (!extra.isEmpty()) {
            throw new CheckpointException(file + " holds tensors this model does not have: " + extra
                    + " (a file of another architecture or patch coder?)");
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : layout.shapes().entrySet()) {
            SafeTensors.Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new CheckpointException(file + " lacks tensor " + e.getKey());
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new CheckpointException(file + ": tensor " + e.getKey() + " has shape " + Arrays.toString(t.shape())
                        + ", expected " + Arrays.toString(e.getValue()));
            }
            out.put(e.getKey(), t.values());
        }
        return out;
    }
}
