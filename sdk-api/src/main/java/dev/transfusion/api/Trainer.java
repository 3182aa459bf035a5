package dev.transfusion.api;

import org.jspecify.annotations.Nullable;

/**
 * Trains a Transfusion model: joint next-token and diffusion loss, AdamW, checkpoints.
 * Obtain one from {@link Transfusion#trainer(TrainingOptions)}.
 */
public interface Trainer extends AutoCloseable {

    /**
     * Runs training until {@code options.steps()} or until cancelled, writing checkpoints to
     * {@code options.outputDir()}; returns the last step's figures, or null when no step was left to run
     * (a resumed run that had already finished).
     */
    @Nullable TrainingStep train(TrainingListener listener, Cancellation cancellation);

    /** Frees native memory. */
    @Override
    void close();
}
