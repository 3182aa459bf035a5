package dev.transfusion.core.train;

import dev.transfusion.core.data.PackedBatch;

/**
 * The training data as a pure function of the step: the same (source, step) always gives the same
 * batch, noise and timesteps included. That is what makes a resumed run replay an uninterrupted one.
 */
@FunctionalInterface
public interface BatchSource {
    /** The batch for optimizer step {@code step} (1-based). */
    PackedBatch batch(long step);
}
