package dev.transfusion.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.core.io.NpyArray;
import org.junit.jupiter.api.Test;

/** Sinusoidal timestep features against the reference's torch float32 computation. */
class TimestepFeaturesTest {

    @Test
    void matchesTheReferenceFixtureTo1e6() throws Exception {
        int[] t = NpyArray.read(NoiseScheduleTest.fixtures().resolve("timestep.t.npy")).ints();        // [4]
        float[] expected = NpyArray.read(NoiseScheduleTest.fixtures().resolve("timestep.features.npy")).floats(); // [4, 32]
        assertArrayEquals(new int[] {0, 1, 250, 999}, t);
        float[] got = TimestepFeatures.of(t, 32);
        assertEquals(expected.length, got.length);
        assertArrayEquals(expected, got, 1e-6f);
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], 2e-7f, "feature " + i + " (only cos/sin rounding may differ)");
        }
    }

    @Test
    void sleefExpIsWithinOneUlpOfTheExactExp() {
        for (float x = -20f; x <= 20f; x += 0.001f) {
            float exact = (float) Math.exp(x);
            assertEquals(exact, TimestepFeatures.expf(x), Math.ulp(exact), "exp(" + x + ")");
        }
        assertEquals(1f, TimestepFeatures.expf(0f));
        // the case that matters: f_7 of 16 frequencies, one ulp above the correctly rounded value
        float arg = -9.2103405f * 7 / 16;
        assertEquals(Math.nextUp((float) Math.exp(arg)), TimestepFeatures.expf(arg));
    }

    @Test
    void layoutIsCosinesThenSines() {
        // dim 4: half 2, f = [1, exp(-ln(10000) / 2) = 0.01]
        float[] f = TimestepFeatures.of(new int[] {0, 2}, 4);
        assertArrayEquals(new float[] {1, 1, 0, 0,
                (float) Math.cos(2), (float) Math.cos(0.02), (float) Math.sin(2), (float) Math.sin(0.02)}, f, 1e-6f);
        assertArrayEquals(new float[] {1f, 0.01f}, TimestepFeatures.frequencies(4), 1e-9f);
        assertThrows(InvalidInputException.class, () -> TimestepFeatures.of(new int[] {1}, 3));
    }
}
