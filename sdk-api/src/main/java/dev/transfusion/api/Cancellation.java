package dev.transfusion.api;

/**
 * A flag a caller sets to stop a generation or training run at the next step. Thread-safe.
 */
public final class Cancellation {
    private volatile boolean cancelled;

    /** Asks the work to stop. */
    public void cancel() {
        cancelled = true;
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }
}
