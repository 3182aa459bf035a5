package dev.transfusion.api;

/** A model or checkpoint directory could not be read or written: missing file, bad checksum, wrong version. */
public class CheckpointException extends TransfusionException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
