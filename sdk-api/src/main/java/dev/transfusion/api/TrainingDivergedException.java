package dev.transfusion.api;

/** Training produced a NaN or infinite loss or gradient; the step that did it is named and not applied. */
public class TrainingDivergedException extends TransfusionException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
