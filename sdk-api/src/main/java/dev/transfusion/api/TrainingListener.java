package dev.transfusion.api;

/** A single-method listener of training steps (a lambda in Java and Kotlin). */
@FunctionalInterface
public interface TrainingListener {
    /** Does nothing. */
    TrainingListener NONE = step -> { };

    /** One optimizer step finished. */
    void onStep(TrainingStep step);

    /**
     * Something about the run the user should know but that does not stop it (a vocabulary smaller than asked
     * for, images resized to the codec's size), once, before the first step. Ignored by default.
     */
    default void onNote(String note) {
    }
}
