package dev.transfusion.api;

/**
 * Trains a Transfusion model: joint next-token and diffusion loss, AdamW, checkpoints.
 * Obtain one from {@link Transfusion#trainer(TrainingOptions)}.
 */
public interface Trainer extends AutoCloseable {

    /**
     * Runs training until {@code options.steps()} or until cancelled, writing checkpoints to
     * {@code options.outputDir()}; returns the last step's figures.
     */
    TrainingStep train(TrainingListener listener, Cancellation cancellation);

    /** Frees native memory. */
    @Override
    void close();
}
