package dev.transfusion.core.train;

import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.model.GradientStep;

/**
 * Where a training step's forward and backward passes run: one graph on the calling thread, several
 * replicas each over part of the batch ({@link DataParallel}), or, later, several devices or machines.
 * Whatever the split, the result is the whole batch's losses and the gradients summed over the parts,
 * equal within float rounding to one graph's step on the whole batch; the optimizer step stays outside.
 */
public interface GradientBackend extends AutoCloseable {

    /** The losses and gradients of {@code batch}; valid until the next call. */
    GradientStep step(PackedBatch batch);

    /** How many replicas share each batch. */
    int replicas();

    /** Stops the backend's threads or devices. */
    @Override
    void close();
}
