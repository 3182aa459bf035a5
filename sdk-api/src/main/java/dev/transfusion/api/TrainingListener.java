package dev.transfusion.api;

/** A single-method listener of training steps (a lambda in Java and Kotlin). */
@FunctionalInterface
public interface TrainingListener {
    /** Does nothing. */
    TrainingListener NONE = step -> { };

    /** One optimizer step finished. */
    void onStep(TrainingStep step);
}
