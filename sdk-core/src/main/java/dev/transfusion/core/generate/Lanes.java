package dev.transfusion.core.generate;

import dev.transfusion.core.EngineSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The cores a generation pass splits its rows over: the calling thread and {@code count - 1} daemon workers
 * shared by every pass in the process. Each worker calls the same single-threaded OpenBLAS as the caller.
 *
 * <p>Why not more BLAS threads: two OpenMP threads made every product of a pass slower (docs/performance.md;
 * a pass is many small products, and OpenMP's fork and join costs more than the halves save). Splitting the
 * pass's rows gives each core whole products and whole elementwise loops, and a row's numbers do not depend
 * on which lane ran it ({@link RowProducts}), so a result is the same bits on one lane or several.
 */
final class Lanes {
    /** What one lane does: rows {@code from..to} of the split range; {@code lane} indexes per-lane scratch. */
    interface Work {
        void run(int from, int to, int lane);
    }

    private static volatile Lanes shared;

    private final int count;
    private final @Nullable ExecutorService workers;   // null for one lane: the caller runs everything
    private final AtomicInteger mostPieces = new AtomicInteger();

    Lanes(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("generation threads must be at least 1, got " + count);
        }
        this.count = count;
        this.workers = count == 1 ? null : Executors.newFixedThreadPool(count - 1, r -> {
            Thread t = new Thread(r, "transfusion-lane");
            t.setDaemon(true);
            return t;
        });
    }

    /** The process's lanes: {@link EngineSettings#generationThreads()} of them, made on first use. */
    static Lanes shared() {
        Lanes l = shared;
        if (l == null) {
            synchronized (Lanes.class) {
                l = shared;
                if (l == null) {
                    shared = l = new Lanes(EngineSettings.generationThreads());
                }
            }
        }
        return l;
    }

    int count() {
        return count;
    }

    /** The most pieces one split has run at once so far (tests check that a pass was split at all). */
    int mostPieces() {
        return mostPieces.get();
    }

    /**
     * Runs {@code work} over {@code 0..size} in {@code min(parts, count, size)} contiguous pieces at once, the
     * first on the calling thread, and returns when all are done. The wait ignores interrupts (then restores the
     * flag): the pieces write into the caller's native buffers, which must outlive them.
     */
    void split(int size, int parts, Work work) {
        int p = Math.max(1, Math.min(Math.min(parts, count), size));
        mostPieces.accumulateAndGet(p, Math::max);
        if (p == 1) {
            work.run(0, size, 0);
            return;
        }
        List<Future<?>> started = new ArrayList<>(p - 1);
        for (int i = 1; i < p; i++) {
            int lane = i, from = (int) ((long) size * i / p), to = (int) ((long) size * (i + 1) / p);
            started.add(workers.submit(() -> work.run(from, to, lane)));
        }
        Throwable failed = null;
        try {
            work.run(0, size / p, 0);
        } catch (RuntimeException | Error e) {
            failed = e;
        }
        boolean interrupted = false;
        for (Future<?> f : started) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    failed = failed != null ? failed : e.getCause();
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failed instanceof RuntimeException r) {
            throw r;
        }
        if (failed instanceof Error e) {
            throw e;
        }
        if (failed != null) {
            throw new IllegalStateException(failed);
        }
    }
}
