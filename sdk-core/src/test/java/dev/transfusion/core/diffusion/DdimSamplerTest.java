package dev.transfusion.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.transfusion.api.DiffusionSampler;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** DDIM (eta = 0) by hand. */
class DdimSamplerTest {
    private final DdimSampler ddim = new DdimSampler(NoiseSchedule.cosine());

    @Test
    void stepMatchesAHandComputation() {
        // t = 500 -> 250, x_t = 1, eps_hat = 0.5; abar_500 = 0.49228517244880304, abar_250 = 0.8458879864968832
        // sqrt(1 - abar_500) = 0.7125411058677225, sqrt(abar_500) = 0.7016303673935465
        // x0_hat = (1 - 0.7125411058677225 * 0.5) / 0.7016303673935465 = 0.9174766044655378
        // x_250 = sqrt(0.8458879864968832) * 0.9174766044655378 + sqrt(1 - 0.8458879864968832) * 0.5
        double[] x = ddim.step(new double[] {1.0, -2.0}, new double[] {0.5, 1.5}, 500, 250);
        assertEquals(1.0401086478567225, x[0], 1e-12);
        // to the clean sample (t_prev = -1): x0_hat itself, (-2 - 0.71254 * 1.5) / 0.70163
        double[] clean = ddim.step(new double[] {1.0, -2.0}, new double[] {0.5, 1.5}, 500, -1);
        assertArrayEquals(new double[] {0.9174766044655378, -4.373829585229852}, clean, 1e-12);
    }

    @Test
    void floatStepIsDeterministicAndAgreesWithDouble() {
        float[] out = ddim.step(new float[] {1f}, new float[] {0.5f}, 500, 250, new SplittableRandom(1));
        float[] again = ddim.step(new float[] {1f}, new float[] {0.5f}, 500, 250, new SplittableRandom(99));
        assertArrayEquals(out, again);
        assertEquals(1.0401086478567225, out[0], 1e-6);
        ReverseStep viaEnum = ReverseStep.of(DiffusionSampler.DDIM, NoiseSchedule.cosine());
        assertArrayEquals(out, viaEnum.step(new float[] {1f}, new float[] {0.5f}, 500, 250, new SplittableRandom(5)));
    }

    @Test
    void exactNoiseEstimateReachesTheCleanSampleAlongTheReferencePlan() {
        NoiseSchedule s = ddim.schedule();
        TimestepPlan plan = ddim.plan(50);
        double x0 = -0.4, eps = 0.9;
        double x = Math.sqrt(s.alphaCumprod(plan.t(0))) * x0 + Math.sqrt(1 - s.alphaCumprod(plan.t(0))) * eps;
        for (int k = 0; k < plan.steps(); k++) {
            x = ddim.step(new double[] {x}, new double[] {eps}, plan.t(k), plan.tPrev(k))[0];
        }
        assertEquals(x0, x, 1e-9);
    }
}
