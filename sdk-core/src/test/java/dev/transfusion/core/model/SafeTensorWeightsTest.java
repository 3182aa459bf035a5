package dev.transfusion.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.CheckpointException;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.io.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's weights in one safetensors file: the reference's names and shapes, and what is refused. */
class SafeTensorWeightsTest {
    private final ParameterLayout layout = new ParameterLayout(TransfusionConfig.preset("tiny"));

    @Test
    void everyParameterRoundTripsUnderTheReferenceName(@TempDir Path tmp) throws Exception {
        Map<String, float[]> values = layout.initialValues(3);
        Path f = tmp.resolve(SafeTensorWeights.FILE);
        SafeTensorWeights.write(f, layout, values);
        Map<String, float[]> back = SafeTensorWeights.read(f, layout);
        assertEquals(values.keySet(), back.keySet());
        values.forEach((name, v) -> assertArrayEquals(v, back.get(name), name));
        assertTrue(back.containsKey("layers.0.attention.wq.weight") && back.containsKey("tok_embeddings.weight"));
        assertEquals(Map.of("format", "pt"), SafeTensors.read(f).metadata());
    }

    @Test
    void aMissingExtraOrMisshapenTensorIsNamed(@TempDir Path tmp) throws Exception {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        layout.initialValues(3).forEach((name, v) ->
                tensors.put(name, new SafeTensors.Tensor("F32", layout.shapes().get(name), v)));

        Map<String, SafeTensors.Tensor> missing = new LinkedHashMap<>(tensors);
        missing.remove("norm.weight");
        assertRefused(tmp, "missing", missing, "lacks tensor norm.weight");

        Map<String, SafeTensors.Tensor> extra = new LinkedHashMap<>(tensors);
        extra.put("lm_head.weight", new SafeTensors.Tensor("F32", new long[] {1}, new float[1]));
        assertRefused(tmp, "extra", extra, "holds tensors this model does not have: [lm_head.weight]");

        Map<String, SafeTensors.Tensor> misshapen = new LinkedHashMap<>(tensors);
        long[] shape = layout.shapes().get("norm.weight");
        misshapen.put("norm.weight", new SafeTensors.Tensor("F32", new long[] {1, shape[0]}, new float[(int) shape[0]]));
        assertRefused(tmp, "misshapen", misshapen, "tensor norm.weight has shape [1, " + shape[0] + "], expected [" + shape[0] + "]");

        Path broken = Files.write(tmp.resolve("broken.safetensors"), new byte[] {1, 2});
        var e = assertThrows(CheckpointException.class, () -> SafeTensorWeights.read(broken, layout));
        assertTrue(e.getMessage().contains(broken + " is not a readable safetensors file"), e.getMessage());
    }

    private void assertRefused(Path tmp, String name, Map<String, SafeTensors.Tensor> tensors, String expected)
            throws Exception {
        Path f = tmp.resolve(name + ".safetensors");
        SafeTensors.write(f, tensors, Map.of());
        var e = assertThrows(CheckpointException.class, () -> SafeTensorWeights.read(f, layout), name);
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(expected), e.getMessage());
    }
}
