package dev.transfusion.api;

/** A single-method listener of denoising steps (a lambda in Java and Kotlin). */
@FunctionalInterface
public interface DiffusionListener {
    /** One denoising step of an image finished. */
    void onDiffusionStep(DiffusionStep step);
}
