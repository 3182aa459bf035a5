package dev.transfusion.api;

/** A caller passed something out of range or malformed: an option, a document, a file's content. */
public class InvalidInputException extends TransfusionException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
