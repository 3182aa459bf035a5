package dev.transfusion.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** AdamW against torch.optim.AdamW's update rule, worked by hand. */
class AdamWTest {

    @Test
    void twoStepsMatchTheTorchRuleWithDecayOnMatricesOnlyAndClipping() {
        INDArray w = Nd4j.createFromArray(new float[][] {{1f, -2f}}), b = Nd4j.createFromArray(new float[] {0.5f});
        Map<String, INDArray> params = new LinkedHashMap<>();
        params.put("w", w);
        params.put("b", b);
        AdamW opt = new AdamW(new AdamW.Settings(0.9, 0.95, 1e-8, 0.1, 1.0));
        double lr = 0.01;
        // step 1: gradients (3, 4 | 0) have norm 5 -> clipped to (0.6, 0.8 | 0) (scale 1 / (5 + 1e-6))
        Map<String, INDArray> g1 = Map.of("w", Nd4j.createFromArray(new float[][] {{3f, 4f}}), "b", Nd4j.createFromArray(new float[] {0f}));
        opt.update(params, g1, AdamW.globalNorm(g1), lr);
        // m^ = g, v^ = g^2 after bias correction, so the step is lr * sign(g); decay multiplies w by 1 - lr wd
        assertEquals(1 * (1 - 0.001) - 0.01 * (0.6 / (0.6 + 1e-8)), w.getDouble(0, 0), 1e-6);
        assertEquals(-2 * (1 - 0.001) - 0.01, w.getDouble(0, 1), 1e-6);
        assertEquals(0.5, params.get("b").getDouble(0), 1e-7);           // zero gradient, no decay on vectors
        // step 2: gradients (0.6, 0 | 0.8) have norm 1: not clipped
        double w0 = w.getDouble(0, 0);
        Map<String, INDArray> g2 = Map.of("w", Nd4j.createFromArray(new float[][] {{0.6f, 0f}}), "b", Nd4j.createFromArray(new float[] {0.8f}));
        opt.update(params, g2, AdamW.globalNorm(g2), lr);
        double g1c = 3 / (5 + 1e-6);
        double m = 0.9 * 0.1 * g1c + 0.1 * 0.6, v = 0.95 * 0.05 * g1c * g1c + 0.05 * 0.36;
        double mh = m / (1 - 0.81), vh = v / (1 - 0.9025);
        assertEquals(w0 * (1 - 0.001) - lr * mh / (Math.sqrt(vh) + 1e-8), w.getDouble(0, 0), 1e-6);
        double mb = 0.1 * 0.8 / (1 - 0.81), vb = 0.05 * 0.64 / (1 - 0.9025);
        assertEquals(0.5 - lr * mb / (Math.sqrt(vb) + 1e-8), params.get("b").getDouble(0), 1e-6);
        assertEquals(2, opt.step());
    }
}
