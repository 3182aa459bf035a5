package dev.transfusion.core.generate;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Temperature sampling restricted to the k most likely tokens (k = 0: all) and to the smallest set whose
 * probability reaches p (p = 1: all), in that order, as Hugging Face's samplers apply them.
 */
final class NucleusSampler implements TokenSampler {
    private final double temperature;
    private final int topK;
    private final double topP;

    NucleusSampler(double temperature, int topK, double topP) {
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
    }

    @Override
    public int sample(float[] logits, RandomGenerator rng) {
        int v = logits.length;
        int[] order = byLogitDescending(logits);
        int keep = topK > 0 ? Math.min(topK, v) : v;
        double max = logits[order[0]];
        double[] p = new double[keep];
        double sum = 0;
        for (int r = 0; r < keep; r++) {
            p[r] = Math.exp((logits[order[r]] - max) / temperature);   // exp(-inf) = 0: banned ids stay out
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

    /**
     * Token ids from the largest logit to the smallest, ties in id order (as a stable sort by
     * {@link Float#compare} gives): each id packed under its logit's order-preserving bits into one long, so
     * that a primitive sort does it without boxing (a boxed sort was most of a small model's sampling time).
     */
    static int[] byLogitDescending(float[] logits) {
        long[] keys = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int bits = Float.floatToIntBits(logits[i]);            // NaN canonical, as Float.compare sees it
            int ordered = bits ^ ((bits >> 31) & 0x7fffffff);      // signed-int order = Float.compare order
            keys[i] = ((long) ~ordered << 32) | i;                 // ~: largest logit first
        }
        Arrays.sort(keys);
        int[] order = new int[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }
}
