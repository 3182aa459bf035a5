package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rational SiLU and exponential stay close to the exact ones over the ranges they take and beyond; the softmax masks. */
class ActivationsTest {
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
        Activations.silu(got, 0, n);
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
        Activations.gated(gate, up, 1, 3);
        assertEquals(-3f, gate[0], "outside the range");
        assertEquals(exact(0.5) * -1, gate[1], 1e-6);
        assertEquals(exact(2) * 0.25, gate[2], 1e-6);
        assertEquals(9f, gate[3], "outside the range");
    }

    @Test
    void theExponentialOfANonPositiveNumberIsWithinAMillionth() {
        double worst = 0, worstRel = 0;
        for (int i = 0; i <= 400_000; i++) {
            float x = -60f * i / 400_000;
            double want = Math.exp(x), got = Activations.expOfNonPositive(x);
            worst = Math.max(worst, Math.abs(want - got));
            if (x > -8) {
                worstRel = Math.max(worstRel, Math.abs(want - got) / want);
            }
        }
        assertEquals(1f, Activations.expOfNonPositive(0f), "e^0");
        assertTrue(worst < 1e-6, "e^x off by " + worst);
        assertTrue(worstRel < 2e-5, "e^x off by " + worstRel + " relative above -8");
    }

    @Test
    void softmaxRowsSumToOneOverTheAllowedPositionsOnly() {
        int len = 3, t = 5;
        float[] scores = {1f, 2f, 3f, 40f, -2f,   0f, 0f, 0f, 0f, 0f,   5f, 1f, 1f, 1f, 1f};
        boolean[] allowed = new boolean[2 * len * t];             // batch row 1 of two
        boolean[] mine = {true, true, true, false, true,   false, false, false, false, false,   true, true, true, true, true};
        System.arraycopy(mine, 0, allowed, len * t, len * t);
        Activations.softmaxRows(scores, allowed, 1, len, t);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(-2);
        assertEquals(Math.exp(3) / z, scores[2], 1e-6);
        assertEquals(0f, scores[3], "a masked position, however large its score");
        assertEquals(Math.exp(-2) / z, scores[4], 1e-6);
        for (int j = 5; j < 10; j++) {
            assertEquals(0f, scores[j], "a row with nothing allowed");
        }
        float sum = 0;
        for (int j = 10; j < 15; j++) {
            sum += scores[j];
        }
        assertEquals(1f, sum, 1e-6);
        assertEquals(Math.exp(4) / (Math.exp(4) + 4), scores[10], 1e-6);
    }

    /** The softmax as one chain per row: the running maximum, the exponentials and the sum, each in order. */
    static void softmaxOneRowAtATime(float[] scores, boolean[] allowed, int r, int len, int t) {
        for (int i = 0; i < len; i++) {
            int off = i * t, mask = (r * len + i) * t;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < t; j++) {
                if (allowed[mask + j]) {
                    max = Math.max(max, scores[off + j]);
                }
            }
            if (max == Float.NEGATIVE_INFINITY) {
                java.util.Arrays.fill(scores, off, off + t, 0f);
                continue;
            }
            float sum = 0;
            for (int j = 0; j < t; j++) {
                float e = allowed[mask + j] ? Activations.expOfNonPositive(scores[off + j] - max) : 0f;
                scores[off + j] = e;
                sum += e;
            }
            for (int j = off; j < off + t; j++) {
                scores[j] /= sum;
            }
        }
    }

    @Test
    void theSoftmaxOfAllRowsAtOnceGivesTheBitsOfOneRowAtATime() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(20261201);
        for (int trial = 0; trial < 200; trial++) {
            int len = 1 + rnd.nextInt(20), t = len + rnd.nextInt(70), rows = 1 + rnd.nextInt(3), r = rnd.nextInt(rows);
            float[] scores = new float[len * t];
            for (int j = 0; j < scores.length; j++) {
                scores[j] = (float) (rnd.nextGaussian() * 6);
                if (rnd.nextInt(50) == 0) {
                    scores[j] = rnd.nextBoolean() ? -0f : 0f;    // signed zeros, where the order of a maximum could show
                }
            }
            boolean[] allowed = new boolean[rows * len * t];
            for (int j = 0; j < allowed.length; j++) {
                allowed[j] = rnd.nextInt(4) != 0;
            }
            if (trial % 10 == 0) {                                   // a row with nothing allowed
                java.util.Arrays.fill(allowed, r * len * t, r * len * t + t, false);
            }
            float[] want = scores.clone(), got = scores.clone();
            softmaxOneRowAtATime(want, allowed, r, len, t);
            Activations.softmaxRows(got, allowed, r, len, t);
            for (int j = 0; j < want.length; j++) {
                assertEquals(Float.floatToIntBits(want[j]), Float.floatToIntBits(got[j]),
                        "trial " + trial + " (" + len + " x " + t + "), score " + j + ": " + want[j] + " vs " + got[j]);
            }
        }
    }

    @Test
    void theLargestAllowedScoreIsFoundWhateverTheLengthAndMinusInfinityWhenNoneIs() {
        for (int n = 0; n <= 13; n++) {
            float[] v = new float[n + 2];
            boolean[] allowed = new boolean[n + 3];
            float want = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                v[j + 2] = (float) Math.sin(j * 1.7) * 10;
                allowed[j + 1] = j % 3 != 1;
                want = allowed[j + 1] ? Math.max(want, v[j + 2]) : want;
            }
            assertEquals(want, Activations.maxAllowed(v, 2, allowed, 1, n), "n = " + n);
        }
    }

    @Test
    void theSumOfSquaresIsTheExactOneToFloatRounding() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int n : new int[] {0, 1, 7, 8, 9, 128, 131, 768}) {
            float[] v = new float[n + 3];
            double want = 0;
            for (int j = 0; j < n; j++) {
                v[j + 3] = (float) rnd.nextGaussian();
                want += (double) v[j + 3] * v[j + 3];
            }
            assertEquals(want, Activations.sumOfSquares(v, 3, n), Math.max(1e-30, want * 1e-6), "n = " + n);
        }
    }
}
