package dev.transfusion.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.core.io.NpyArray;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The cosine schedule against the reference's fixtures, and the forward process by hand. */
class NoiseScheduleTest {

    static Path fixtures() throws Exception {
        return Path.of(NoiseScheduleTest.class.getResource("/fixtures/tiny/config.json").toURI()).getParent();
    }

    @Test
    void cosineScheduleMatchesTheReferenceTo1e12() throws Exception {
        NoiseSchedule s = NoiseSchedule.cosine();
        double[] betas = NpyArray.read(fixtures().resolve("schedule.betas.npy")).values();             // [1000]
        double[] abar = NpyArray.read(fixtures().resolve("schedule.alphas_cumprod.npy")).values();     // [1000]
        assertEquals(1000, s.steps());
        assertArrayEquals(betas, s.betas(), 1e-12);
        assertArrayEquals(abar, s.alphasCumprod(), 1e-12);
        assertEquals(0.999, s.beta(999), 0.0, "the last beta is clipped");
        assertEquals(4.128422482196914e-05, s.beta(0), 1e-15);
        assertEquals(0.49228517244880304, s.alphaCumprod(500), 1e-15);
        assertEquals(1.0, s.alphaCumprodOrClean(-1));
    }

    @Test
    void addNoiseMixesSignalAndNoiseBySqrtAlphaCumprod() {
        NoiseSchedule s = NoiseSchedule.cosine();
        // t = 500: abar = 0.49228517244880304, sqrt = 0.70163037, sqrt(1 - abar) = 0.71254111
        float[] xt = s.addNoise(new float[] {1f, -2f, 0f}, new float[] {0f, 1f, 0.5f}, 500);
        assertArrayEquals(new float[] {0.70163037f, -2 * 0.70163037f + 0.71254111f, 0.5f * 0.71254111f}, xt, 1e-6f);
        // t = 0 is almost clean
        assertArrayEquals(new float[] {0.99997936f}, s.addNoise(new float[] {1f}, new float[] {0f}, 0), 1e-7f);
    }

    @Test
    void otherLengthsAndBadStepsAreHandled() {
        NoiseSchedule s = NoiseSchedule.cosine(10);
        assertEquals(10, s.steps());
        double prev = 1;
        for (int t = 0; t < 10; t++) {
            double ab = s.alphaCumprod(t);
            assertEquals(prev * (1 - s.beta(t)), ab, 1e-15);
            prev = ab;
        }
        var e = assertThrows(InvalidInputException.class, () -> s.alphaCumprod(10));
        assertEquals("diffusion step 10 outside 0..9", e.getMessage());
        assertThrows(InvalidInputException.class, () -> NoiseSchedule.cosine(1));
        assertThrows(InvalidInputException.class, () -> s.addNoise(new float[2], new float[3], 0));
    }
}
