package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sampler's token order is the stable sort by logit it replaced, so a seed draws the tokens it drew. */
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

    @Test
    void theOrderIsTheStableSortByLogitIncludingTiesZerosInfinitiesAndNaN() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            float[] logits = new float[1 + rnd.nextInt(600)];
            for (int i = 0; i < logits.length; i++) {
                int kind = rnd.nextInt(10);
                logits[i] = kind == 0 ? Float.NEGATIVE_INFINITY : kind == 1 ? (rnd.nextBoolean() ? 0f : -0f)
                        : kind == 2 ? (float) rnd.nextInt(3)                        // many ties
                        : kind == 3 && trial % 7 == 0 ? Float.NaN
                        : kind == 4 ? Float.POSITIVE_INFINITY : (float) (rnd.nextGaussian() * 5);
            }
            assertArrayEquals(boxedOrder(logits), NucleusSampler.byLogitDescending(logits), "trial " + trial);
        }
    }

    @Test
    void aSeedDrawsWhatTheBoxedOrderDraws() {
        Random rnd = new Random(11);
        float[] logits = new float[320];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (rnd.nextGaussian() * 3);
        }
        logits[5] = logits[9];                                      // a tie
        NucleusSampler sampler = new NucleusSampler(0.8, 40, 0.9);
        int[] order = boxedOrder(logits);
        for (long seed = 0; seed < 200; seed++) {
            assertEquals(reference(logits, order, 0.8, 40, 0.9, new SplittableRandom(seed)),
                    sampler.sample(logits, new SplittableRandom(seed)), "seed " + seed);
        }
    }

    /** The sampler's rule written out over a given order: top k, then top p, then a draw by mass. */
    private static int reference(float[] logits, int[] order, double temperature, int topK, double topP,
                                 SplittableRandom rng) {
        int keep = Math.min(topK, logits.length);
        double[] p = new double[keep];
        double sum = 0;
        for (int r = 0; r < keep; r++) {
            p[r] = Math.exp((logits[order[r]] - logits[order[0]]) / temperature);
            sum += p[r];
        }
        int cut = keep;
        double mass = 0;
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
}
