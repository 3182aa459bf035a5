package dev.transfusion.core.generate;

import java.util.random.RandomGenerator;

/** Picks the next token from logits. One method, so a lambda is a sampler. */
@FunctionalInterface
public interface TokenSampler {
    /** The chosen id; {@code logits} may be modified. Ids with logit -infinity are never chosen. */
    int sample(float[] logits, RandomGenerator rng);

    /** Greedy when temperature is 0, otherwise temperature, top-k and top-p (nucleus) sampling. */
    static TokenSampler of(double temperature, int topK, double topP) {
        return temperature == 0 ? TokenSampler::argmax : new NucleusSampler(temperature, topK, topP);
    }

    /** The id of the largest logit (the first on ties). */
    static int argmax(float[] logits, RandomGenerator rng) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
