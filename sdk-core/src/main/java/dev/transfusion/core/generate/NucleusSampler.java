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
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
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
}
