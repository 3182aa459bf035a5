package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sampler draws, for a seed, the tokens the sorting sampler it replaced drew: its token order is the stable
 * sort by logit (ties, zeros, infinities and NaN included), and the draw over that order is the same.
 */
class NucleusSamplerTest {
    /** The order the sampler used before: boxed ids, stably sorted by Float.compare, largest first. */
    static int[] boxedOrder(float[] logits) {
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /** The sampler as it was: the whole vocabulary sorted, then top-k, top-p and the draw over that order. */
    static int sortingSampler(float[] logits, double temperature, int topK, double topP, SplittableRandom rng) {
        int v = logits.length;
        int[] order = boxedOrder(logits);
        int keep = topK > 0 ? Math.min(topK, v) : v;
        double max = logits[order[0]];
        double[] p = new double[keep];
        double sum = 0;
        for (int r = 0; r < keep; r++) {
            p[r] = Math.exp((logits[order[r]] - max) / temperature);
            sum += p[r];
        }
        double mass = 0;
        int cut = keep;
        for (int r = 0; r < keep; r++) {
            mass += p[r] / sum;
            if (mass >= topP) {
                cut = r + 1;
                break;
            }
        }
        double total = 0;
        for (int r = 0; r < cut; r++) {
            total += p[r];
        }
        double u = rng.nextDouble() * total;
        for (int r = 0; r < cut; r++) {
            u -= p[r];
            if (u < 0) {
                return order[r];
            }
        }
        return order[0];
    }

    static float[] logits(Random rnd, int n, boolean odd) {
        float[] logits = new float[n];
        for (int i = 0; i < logits.length; i++) {
            int kind = rnd.nextInt(10);
            logits[i] = kind == 0 ? Float.NEGATIVE_INFINITY : kind == 1 ? (rnd.nextBoolean() ? 0f : -0f)
                    : kind == 2 ? (float) rnd.nextInt(3)                        // many ties
                    : kind == 3 && odd ? Float.NaN
                    : kind == 4 && odd ? Float.POSITIVE_INFINITY : (float) (rnd.nextGaussian() * 5);
        }
        return logits;
    }

    @Test
    void idsComeOutInTheStableSortByLogitIncludingTiesZerosInfinitiesAndNaN() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            float[] logits = logits(rnd, 1 + rnd.nextInt(600), trial % 7 == 0);
            TokenHeap heap = new TokenHeap(logits);
            int[] got = new int[logits.length];
            for (int i = 0; i < got.length; i++) {
                got[i] = heap.take();
            }
            assertArrayEquals(boxedOrder(logits), got, "trial " + trial);
            assertEquals(0, heap.size());
            assertThrows(IllegalStateException.class, heap::take);
        }
    }

    @Test
    void aSeedDrawsTheTokensTheSortingSamplerDrew() {
        Random rnd = new Random(11);
        double[][] settings = {{0.8, 0, 1}, {1.0, 0, 0.9}, {0.5, 40, 1}, {1.3, 5, 0.7}, {2.0, 0, 0.5}, {0.9, 1, 1}};
        int draws = 0;
        for (int trial = 0; trial < 300; trial++) {
            float[] logits = logits(rnd, 1 + rnd.nextInt(trial % 10 == 0 ? 3000 : 400), false);
            if (Arrays.stream(toDoubles(logits)).allMatch(x -> x == Double.NEGATIVE_INFINITY)) {
                logits[0] = 1f;
            }
            for (double[] s : settings) {
                long seed = rnd.nextLong();
                int want = sortingSampler(logits, s[0], (int) s[1], s[2], new SplittableRandom(seed));
                int got = new NucleusSampler(s[0], (int) s[1], s[2]).sample(logits, new SplittableRandom(seed));
                assertEquals(want, got, "trial " + trial + ", temperature " + s[0] + ", top-k " + s[1] + ", top-p " + s[2]);
                draws++;
            }
        }
        assertEquals(1800, draws);
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
