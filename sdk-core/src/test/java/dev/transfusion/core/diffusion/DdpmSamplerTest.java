package dev.transfusion.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.core.io.NpyArray;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Ancestral DDPM steps against the reference's {@code ddpm_step} fixtures, and strided steps by hand. */
class DdpmSamplerTest {
    private final DdpmSampler ddpm = new DdpmSampler(NoiseSchedule.cosine());

    @ParameterizedTest
    @ValueSource(ints = {999, 500, 1, 0})
    void oneStepMatchesTheReferenceTo1e9(int t) throws Exception {
        Path dir = NoiseScheduleTest.fixtures();
        double[] x = NpyArray.read(dir.resolve("ddpm.t" + t + ".x_t.npy")).values();          // [16]
        double[] e = NpyArray.read(dir.resolve("ddpm.t" + t + ".eps_hat.npy")).values();      // [16]
        double[] z = NpyArray.read(dir.resolve("ddpm.t" + t + ".z.npy")).values();            // [16]
        double[] expected = NpyArray.read(dir.resolve("ddpm.t" + t + ".x_prev.npy")).values();
        assertArrayEquals(expected, ddpm.step(x, e, t, t - 1, z), 1e-9);
    }

    @Test
    void stridedStepRecomputesBetaFromAlphasCumprod() {
        // 500 -> 250: abar 0.49228517244880304 -> 0.8458879864968832
        // beta = 1 - 0.492285 / 0.845888 = 0.41802558; mean = (1 - beta / sqrt(1 - abar) * 0.5) / sqrt(1 - beta)
        //      = 0.92632210; var = beta (1 - 0.845888) / (1 - 0.492285) = 0.12688769; x = mean + sqrt(var) 0.25
        double[] x = ddpm.step(new double[] {1.0}, new double[] {0.5}, 500, 250, new double[] {0.25});
        assertEquals(1.0153753498052396, x[0], 1e-12);
        // a strided step to -1 adds no noise and lands on the clean estimate
        double[] clean = ddpm.step(new double[] {1.0}, new double[] {0.5}, 500, -1, new double[] {9});
        assertEquals((1.0 - 0.7125411058677225 * 0.5) / 0.7016303673935465, clean[0], 1e-12);
    }

    @Test
    void floatStepDrawsNoiseExceptAtTheEnd() {
        float[] x = {0.3f, -0.7f}, e = {0.1f, 0.2f};
        float[] a = ddpm.step(x, e, 10, 9, new SplittableRandom(1));
        float[] b = ddpm.step(x, e, 10, 9, new SplittableRandom(1));
        float[] c = ddpm.step(x, e, 10, 9, new SplittableRandom(2));
        assertArrayEquals(a, b);
        assertNotEquals(a[0], c[0]);
        double[] exact = ddpm.step(new double[] {0.3f, -0.7f}, new double[] {0.1f, 0.2f}, 0, -1, new double[0]);
        float[] last = ddpm.step(x, e, 0, -1, new SplittableRandom(3));
        assertArrayEquals(new float[] {(float) exact[0], (float) exact[1]}, last);
        assertThrows(InvalidInputException.class, () -> ddpm.step(x, e, 5, 5, new SplittableRandom(1)));
        assertThrows(InvalidInputException.class, () -> ddpm.step(x, e, 1000, 5, new SplittableRandom(1)));
    }

    @Test
    void fullChainWithPerfectNoiseEstimateAndNoNoiseRecoversTheSignalDirection() {
        // with eps_hat equal to the true noise and z = 0, the strided chain 999 .. -1 must end on x0
        NoiseSchedule s = ddpm.schedule();
        TimestepPlan plan = ddpm.plan(50);
        double x0 = 0.8, eps = -1.1;
        double x = Math.sqrt(s.alphaCumprod(plan.t(0))) * x0 + Math.sqrt(1 - s.alphaCumprod(plan.t(0))) * eps;
        for (int k = 0; k < plan.steps(); k++) {
            int t = plan.t(k);
            // the noise consistent with x at step t
            double e = (x - Math.sqrt(s.alphaCumprod(t)) * x0) / Math.sqrt(1 - s.alphaCumprod(t));
            x = ddpm.step(new double[] {x}, new double[] {e}, t, plan.tPrev(k), new double[] {0})[0];
        }
        assertEquals(x0, x, 1e-9);
    }
}
