package dev.transfusion.core.generate;

import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PositionRows;
import dev.transfusion.core.model.TransfusionGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Continuous batching across callers: every generation runs its own loop on its own thread, but its forward
 * steps (a prompt, a text token, a denoising step with its guidance rows) are handed to one worker thread,
 * which runs the steps waiting at that moment as one pass of {@link EagerForward#runAll} — each step keeps its
 * own KV cache, positions and mask. A generation joins at its next step and leaves when it ends (done,
 * failed or cancelled); at most {@code maxBatch} steps share a pass, the rest wait for the next one.
 *
 * <p>Why threads and not a state machine: the generation loop ({@link Generator}, {@link SpanDenoiser}) stays
 * the one the unbatched path runs, so a seed's tokens and images come from the same code; only the products'
 * row count changes, which leaves the numbers equal to float rounding.
 *
 * <p>When to run: the worker runs as soon as every generation in a {@link #session} is waiting (the usual
 * case: they run in lock step), else after {@link #GATHER_NANOS} from the first waiting step, so that one
 * generation busy outside the model (encoding a prompt image, decoding a drawn one) holds the others up
 * only that long.
 */
public final class BatchScheduler implements AutoCloseable {
    /** Steps a pass takes by default: the 16 concurrent clients of {@code bench serve}. */
    public static final int DEFAULT_MAX_BATCH = 16;
    static final long GATHER_NANOS = 1_000_000;

    private final TransfusionGraph graph;
    private final EagerForward eager;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final Thread worker;
    private volatile IntConsumer onPass = rows -> { };
    private int active;          // sessions running
    private boolean closed;

    /** One caller's step and where its result goes. */
    private record Waiting(EagerForward.Segment segment, CompletableFuture<CachedForward.Result> result) {
    }

    /**
     * A scheduler over {@code graph}'s weights running at most {@code maxBatch} steps a pass.
     *
     * @throws IllegalArgumentException when the graph's configuration cannot run eagerly ({@link #supports})
     *                                  or {@code maxBatch} is under 1
     */
    public BatchScheduler(TransfusionGraph graph, int maxBatch) {
        this(graph, maxBatch, Lanes.shared());
    }

    /** As above, its passes split over {@code lanes}. */
    BatchScheduler(TransfusionGraph graph, int maxBatch, Lanes lanes) {
        if (!supports(graph.config())) {
            throw new IllegalArgumentException("batching runs on the eager forward, which does not run this model's "
                    + "patch coders " + graph.config().modalities().stream().map(m -> m.name() + ": " + m.coder()).toList());
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatch);
        }
        this.graph = graph;
        this.eager = new EagerForward(graph, lanes);
        this.maxBatch = maxBatch;
        this.worker = new Thread(this::loop, "transfusion-batch");
        worker.setDaemon(true);
        worker.start();
    }

    /** Whether a model of {@code c} can be batched: its forward runs in plain arrays (every patch coder is one {@link EagerForward} runs). */
    public static boolean supports(TransfusionConfig c) {
        return EagerForward.supports(c);
    }

    /** The graph whose weights the passes read. */
    public TransfusionGraph graph() {
        return graph;
    }

    /** The most steps one pass takes. */
    public int maxBatch() {
        return maxBatch;
    }

    /** Calls {@code rows} after each pass with the number of steps (requests) it ran, for metrics. */
    public void onPass(IntConsumer rows) {
        this.onPass = rows;
    }

    /**
     * Runs {@code work} (a generation) as a member of the batch: while it runs, the worker waits for its next
     * step before running a pass without it (at most {@link #GATHER_NANOS}).
     */
    public <T> T session(Supplier<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the batch scheduler is closed");
            }
            active++;
        } finally {
            lock.unlock();
        }
        try {
            return work.get();
        } finally {
            lock.lock();
            try {
                active--;
                changed.signalAll();   // the worker may be waiting for this session's next step
            } finally {
                lock.unlock();
            }
        }
    }

    /** Runs one step in the next pass and waits for its result (see {@link CachedForward#run}/{@code peek}). */
    CachedForward.Result run(PositionRows s, @Nullable KvCache past, boolean keep) {
        Waiting w = new Waiting(new EagerForward.Segment(s, past, keep), new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the batch scheduler is closed");
            }
            waiting.add(w);
            if (waiting.size() == 1 || waiting.size() >= Math.min(maxBatch, active)) {
                changed.signalAll();   // the worker waits for the first step, then for the last: not each one between
            }
        } finally {
            lock.unlock();
        }
        try {
            return w.result().join();          // not interruptible: the pass is short and already under way
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private void loop() {
        while (true) {
            List<Waiting> pass = new ArrayList<>();
            lock.lock();
            try {
                while (!closed && waiting.isEmpty()) {
                    changed.awaitUninterruptibly();
                }
                if (waiting.isEmpty()) {
                    return;                    // closed and nothing left
                }
                long deadline = System.nanoTime() + GATHER_NANOS;
                while (!closed && waiting.size() < Math.min(maxBatch, active)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        changed.awaitNanos(left);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                while (!waiting.isEmpty() && pass.size() < maxBatch) {
                    pass.add(waiting.poll());
                }
            } finally {
                lock.unlock();
            }
            runPass(pass);
        }
    }

    /** One pass; when it fails, each step alone, so that one caller's bad step fails that caller only. */
    private void runPass(List<Waiting> pass) {
        List<EagerForward.Segment> segments = pass.stream().map(Waiting::segment).toList();
        List<CachedForward.Result> results;
        try {
            results = eager.runAll(segments);
        } catch (RuntimeException | Error batchFailure) {
            for (Waiting w : pass) {
                try {
                    w.result().complete(eager.run(w.segment().step(), w.segment().past(), w.segment().keep()));
                } catch (RuntimeException | Error e) {
                    w.result().completeExceptionally(e);
                }
            }
            report(pass.size());
            return;
        }
        for (int i = 0; i < pass.size(); i++) {
            pass.get(i).result().complete(results.get(i));
        }
        report(pass.size());
    }

    private void report(int rows) {
        try {
            onPass.accept(rows);
        } catch (RuntimeException ignored) {
            // a metrics hook never stops the model
        }
    }

    /** Stops the worker once the steps already waiting have run; later steps and sessions are refused. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
