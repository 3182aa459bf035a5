package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rational SiLU stays within float rounding of the exact one, over the range activations take and beyond. */
class SiluTest {
    static double exact(double x) {
        return x / (1 + Math.exp(-x));
    }

    @Test
    void siluIsWithinTwoMillionthsOfTheExactOneEverywhere() {
        int n = 400_001;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = -40f + 80f * i / (n - 1);
        }
        float[] got = v.clone();
        Silu.apply(got, 0, n);
        double worst = 0, worstRel = 0;
        for (int i = 0; i < n; i++) {
            double want = exact(v[i]);
            worst = Math.max(worst, Math.abs(want - got[i]));
            if (Math.abs(want) >= 0.05) {         // below, the sigmoid is 1 + tanh near cancellation: absolute accuracy
                worstRel = Math.max(worstRel, Math.abs(want - got[i]) / Math.abs(want));
            }
        }
        assertTrue(worst < 3e-6, "SiLU off by " + worst);
        assertTrue(worstRel < 2e-5, "SiLU off by " + worstRel + " relative where |silu| >= 0.05");
        assertEquals(0f, got[n / 2], "silu(0)");
    }

    @Test
    void theGatedFormMultipliesByUpAndLeavesTheRestAlone() {
        float[] gate = {-3f, 0.5f, 2f, 9f}, up = {2f, -1f, 0.25f, 1f};
        Silu.gated(gate, up, 1, 3);
        assertEquals(-3f, gate[0], "outside the range");
        assertEquals(exact(0.5) * -1, gate[1], 1e-6);
        assertEquals(exact(2) * 0.25, gate[2], 1e-6);
        assertEquals(9f, gate[3], "outside the range");
    }
}
