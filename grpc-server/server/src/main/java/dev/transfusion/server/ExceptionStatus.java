package dev.transfusion.server;

import dev.transfusion.api.CheckpointException;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.TransfusionException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which gRPC status an exception from the SDK becomes. SDK messages already name the field and the expected
 * range, so they pass through as the description; anything unexpected is logged with its stack trace and
 * reported as INTERNAL without internals.
 */
public final class ExceptionStatus {
    private static final Logger LOG = LoggerFactory.getLogger(ExceptionStatus.class);

    private ExceptionStatus() {
    }

    /** The status to close a call with after {@code e}; {@code rpc} names the call in the log. */
    public static Status of(Throwable e, String rpc) {
        if (e instanceof StatusRuntimeException s) {
            return s.getStatus();
        }
        if (e instanceof StatusException s) {
            return s.getStatus();
        }
        if (e instanceof CancellationException) {
            // the model stopped because the call ended: nobody reads this status, nothing to log
            return Status.CANCELLED.withDescription(rpc + " was cancelled");
        }
        if (e instanceof InvalidInputException) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
        }
        if (e instanceof CheckpointException || e instanceof PluginException) {
            // the model or its plugins are broken on this server: not the caller's fault, nor retryable here
            LOG.error("{} failed", rpc, e);
            return Status.FAILED_PRECONDITION.withDescription(e.getMessage());
        }
        if (e instanceof TransfusionException) {
            LOG.error("{} failed", rpc, e);
            return Status.INTERNAL.withDescription(e.getMessage());
        }
        LOG.error("{} failed unexpectedly", rpc, e);
        return Status.INTERNAL.withDescription(rpc + " failed on the server (" + e.getClass().getSimpleName()
                + "); see the server log");
    }
}
