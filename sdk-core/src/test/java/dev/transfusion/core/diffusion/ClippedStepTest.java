package dev.transfusion.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Clipping the clean-sample estimate: nothing changes inside the range, the estimate is held at its edge outside. */
class ClippedStepTest {
    final NoiseSchedule schedule = NoiseSchedule.cosine(1000);
    final DdimSampler ddim = new DdimSampler(schedule);

    @Test
    void insideTheRangeItIsTheSamplersOwnStep() {
        float[] x = {0.1f, -0.2f, 0.3f}, eps = {0.05f, 0.1f, -0.1f};
        ClippedStep clipped = new ClippedStep(ddim, schedule, -10, 10);
        assertArrayEquals(ddim.step(x, eps, 100, 50, new SplittableRandom(1)),
                clipped.step(x, eps, 100, 50, new SplittableRandom(1)));
    }

    @Test
    void toTheCleanSampleTheEstimateIsClipped() {
        // at t = 500 an eps of -20 implies x0 far above 1; the clipped DDIM step to the clean sample lands on 1
        float[] x = {0.5f, 0.0f}, eps = {-20f, 0f};
        float[] out = new ClippedStep(ddim, schedule, -1, 1).step(x, eps, 500, -1, new SplittableRandom(1));
        assertEquals(1.0, out[0], 1e-5);
        assertEquals(ddim.step(x, eps, 500, -1, new SplittableRandom(1))[1], out[1], 1e-6);
        float[] free = ddim.step(x, eps, 500, -1, new SplittableRandom(1));
        assertEquals(true, free[0] > 10, "unclipped it runs off: " + free[0]);
    }
}
