package dev.transfusion.server;

import dev.transfusion.api.TransfusionException;
import io.grpc.Status;

/**
 * A call to a Transfusion server failed for a reason other than bad input (that is an
 * {@link dev.transfusion.api.InvalidInputException}): the server was busy, unreachable, loading, too slow for
 * the deadline, or refused the credentials. {@link #code()} says which.
 */
public class RemoteCallException extends TransfusionException {
    private static final long serialVersionUID = 1L;

    /** The gRPC status code. */
    private final Status.Code code;

    /** A failure with the server's status. */
    public RemoteCallException(Status status, Throwable cause) {
        super(status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription()), cause);
        this.code = status.getCode();
    }

    /** The gRPC status code: RESOURCE_EXHAUSTED (busy), UNAVAILABLE, DEADLINE_EXCEEDED, UNAUTHENTICATED, ... */
    public Status.Code code() {
        return code;
    }
}
