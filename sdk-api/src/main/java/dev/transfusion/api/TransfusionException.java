package dev.transfusion.api;

/**
 * The root of every exception the SDK throws. Unchecked, so Kotlin and lambdas need no ceremony;
 * the message always names what was wrong (the file, the field, what was expected).
 */
public class TransfusionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransfusionException(String message) {
        super(message);
    }

    public TransfusionException(String message, Throwable cause) {
        super(message, cause);
    }
}
