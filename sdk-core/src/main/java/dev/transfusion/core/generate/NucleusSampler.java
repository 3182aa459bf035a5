package dev.transfusion.core.generate;

import java.util.random.RandomGenerator;

/**
 * Temperature sampling restricted to the k most likely tokens (k = 0: all) and to the smallest set whose
 * probability reaches p (p = 1: all), in that order, as Hugging Face's samplers apply them. The draw walks the
 * tokens from the most likely down ({@link TokenHeap}) and stops where the draw falls, so it takes only as many
 * ids from the vocabulary as it needs: a few for a peaked distribution, not a sort of all of them.
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
        TokenHeap heap = new TokenHeap(logits);
        int keep = topK > 0 ? Math.min(topK, v) : v;
        double max = logits[heap.peek()];
        Ranked ranked = new Ranked(heap, logits, max, keep);
        double sum = 0;
        if (keep < v) {
            for (int r = 0; r < keep; r++) {                 // the top k, summed from the most likely down
                sum += ranked.p(r);
            }
        } else {
            for (float logit : logits) {                     // every token, in id order: nothing to sort
                sum += weight(logit, max);
            }
        }
        int cut = keep;
        if (topP < 1) {
            double mass = 0;
            for (int r = 0; r < keep; r++) {
                mass += ranked.p(r) / sum;
                if (mass >= topP) {
                    cut = r + 1;
                    break;
                }
            }
        }
        double total = 0;
        if (cut == v) {
            total = sum;
        } else {
            for (int r = 0; r < cut; r++) {
                total += ranked.p(r);
            }
        }
        double u = rng.nextDouble() * total;
        for (int r = 0; r < cut; r++) {
            u -= ranked.p(r);
            if (u < 0) {
                return ranked.id(r);
            }
        }
        return ranked.id(0);
    }

    /** exp((logit - max) / T): exp(-inf) = 0, so banned ids stay out. */
    private double weight(float logit, double max) {
        return Math.exp((logit - max) / temperature);
    }

    /** The tokens by rank, taken from the heap as far as they are asked for, with their weights. */
    private final class Ranked {
        private final TokenHeap heap;
        private final float[] logits;
        private final double max;
        private int[] ids;
        private double[] p;
        private int taken;

        Ranked(TokenHeap heap, float[] logits, double max, int most) {
            this.heap = heap;
            this.logits = logits;
            this.max = max;
            this.ids = new int[Math.min(most, 64)];          // grown as ranks are reached: most draws need a few
            this.p = new double[ids.length];
        }

        int id(int rank) {
            reach(rank);
            return ids[rank];
        }

        double p(int rank) {
            reach(rank);
            return p[rank];
        }

        private void reach(int rank) {
            if (rank >= ids.length) {
                int grown = Math.max(rank + 1, 2 * ids.length);
                ids = java.util.Arrays.copyOf(ids, grown);
                p = java.util.Arrays.copyOf(p, grown);
            }
            while (taken <= rank) {
                ids[taken] = heap.take();
                p[taken] = weight(logits[ids[taken]], max);
                taken++;
            }
        }
    }
}
