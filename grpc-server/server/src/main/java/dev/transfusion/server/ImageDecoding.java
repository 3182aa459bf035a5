package dev.transfusion.server;

import dev.transfusion.api.Cancellation;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The pool that decodes request images: a few threads and a short queue of their own, so that slow images
 * (a bomb, or just a large JPEG) never occupy the threads that answer health checks and small calls, and a
 * request that waits too long for a decoder is refused rather than piled up. Each request's decoding stops
 * when its time budget runs out, as it does when the call ends. One pool per server, shared by the gRPC service
 * and the HTTP port.
 */
public final class ImageDecoding {
    private final RequestBudget budget;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timer;

    ImageDecoding(RequestBudget budget) {
        this.budget = budget;
        this.pool = new ThreadPoolExecutor(budget.decodingThreads(), budget.decodingThreads(), 0,
                TimeUnit.MILLISECONDS, budget.decodingQueue() == 0 ? new SynchronousQueue<>()
                : new ArrayBlockingQueue<>(budget.decodingQueue()),
                ConcurrencyLimiter.threads("transfusion-decode-"), new ThreadPoolExecutor.AbortPolicy());
        this.timer = Executors.newSingleThreadScheduledExecutor(ConcurrencyLimiter.threads("transfusion-decode-timer-"));
    }

    /** The decoding deadline of one request. */
    public Duration decodeTime() {
        return budget.decodeTime();
    }

    /**
     * Runs {@code work} (which decodes) on the pool; {@code stop} is set once it has run for the time budget.
     *
     * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED when every decoder is busy and the queue full,
     *                                        UNAVAILABLE when the server is shutting down
     */
    public void submit(Cancellation stop, Runnable work) {
        try {
            pool.execute(() -> {
                ScheduledFuture<?> deadline = timer.schedule(stop::cancel, budget.decodeTime().toMillis(),
                        TimeUnit.MILLISECONDS);
                try {
                    work.run();
                } finally {
                    deadline.cancel(false);
                }
            });
        } catch (RejectedExecutionException e) {
            if (pool.isShutdown()) {
                throw Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException();
            }
            throw Status.RESOURCE_EXHAUSTED.withDescription("image decoding busy: " + pool.getActiveCount()
                    + " request(s) decoding and " + pool.getQueue().size() + " waiting; retry later")
                    .asRuntimeException();
        }
    }

    /** Accepts no more work; images being decoded are stopped by their requests' cancellation. */
    void shutdown() {
        pool.shutdown();
        timer.shutdownNow();
    }
}
