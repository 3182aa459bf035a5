package dev.transfusion.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Runs model work on its own bounded pool, apart from Netty's event loops and gRPC's callback threads: at most
 * {@code maxConcurrent} calls at once and {@code maxQueued} waiting; past that a call fails at once with
 * RESOURCE_EXHAUSTED, so that a client backs off or a load balancer tries another server instead of piling
 * work onto one that cannot keep up. A batching model runs the calls holding slots at the same time, their
 * steps in shared forward passes, so the slots are its batch; a model that serialises calls gains nothing
 * from more than one.
 */
public final class ConcurrencyLimiter {
    private final int maxConcurrent;
    private final int maxQueued;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger running = new AtomicInteger();
    // Admission is counted here rather than left to the executor's queue: a hand-off queue rejects work
    // whenever an idle worker has not yet reached take(), which is exactly what happens under load.
    private final Semaphore places;

    /** A pool of {@code maxConcurrent} threads (at least 1) and a queue of {@code maxQueued} calls (0 or more). */
    public ConcurrencyLimiter(int maxConcurrent, int maxQueued) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued must be 0 or more, got " + maxQueued);
        }
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
        this.places = new Semaphore(maxConcurrent + maxQueued);
        // The queue itself never holds more than maxQueued tasks: the semaphore admits no more. A bounded
        // admission is the point: an unbounded one would hide overload as ever-growing latency.
        this.executor = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), threads("transfusion-model-"), new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Queues {@code work}; returns the task to {@link #withdraw} if the call ends while it waits.
     *
     * @throws StatusRuntimeException RESOURCE_EXHAUSTED when every slot and queue place is taken,
     *                                UNAVAILABLE when the server is shutting down
     */
    public Runnable admit(Runnable work) {
        return admitThen(() -> {
            work.run();
            return null;
        });
    }

    /**
     * As {@link #admit(Runnable)}, for work that ends by replying: {@code work} runs holding a slot and returns
     * what to do once the slot is given back (null: nothing). Replying after the release means that a client
     * that has its answer can call again at once, even with one slot and no queue.
     */
    public Runnable admitThen(Supplier<@Nullable Runnable> work) {
        if (executor.isShutdown()) {
            throw Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException();
        }
        if (!places.tryAcquire()) {
            throw Status.RESOURCE_EXHAUSTED.withDescription("server busy: " + running() + " call(s) running and "
                    + queued() + " waiting (limits: " + maxConcurrent + " concurrent, " + maxQueued
                    + " queued); retry later").asRuntimeException();
        }
        Runnable task = () -> {
            running.incrementAndGet();
            Runnable after;
            try {
                after = work.get();
            } finally {
                running.decrementAndGet();
                places.release();
            }
            if (after != null) {
                after.run();
            }
        };
        try {
            executor.execute(task);
            return task;
        } catch (RejectedExecutionException e) {
            places.release();
            throw Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException();
        }
    }

    /** Takes a waiting task off the queue (a cancelled call frees its place); false if it already started. */
    public boolean withdraw(Runnable task) {
        boolean removed = executor.remove(task);
        if (removed) {
            places.release();
        }
        return removed;
    }

    /** Calls running now. */
    public int running() {
        return running.get();
    }

    /** Calls waiting for a slot. */
    public int queued() {
        return executor.getQueue().size();
    }

    /** Accepts no more work; queued and running work still finishes. */
    public void shutdown() {
        executor.shutdown();
    }

    /** Waits until all work is done; true if it is. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Daemon threads with a recognisable name: they never keep a JVM alive on their own. */
    static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
