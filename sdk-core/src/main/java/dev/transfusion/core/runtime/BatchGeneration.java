package dev.transfusion.core.runtime;

import dev.transfusion.api.GenerationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Many prompts through a batching model: each on a thread of its own, at most {@code width} at once (a pass
 * takes no more), so that their steps meet in the scheduler's passes; results in prompt order. The threads
 * are kept between calls: a codec running a SameDiff graph builds a session per thread, once.
 */
final class BatchGeneration implements AutoCloseable {
    private final ExecutorService pool;

    BatchGeneration(int width) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(width, r -> {
            Thread t = new Thread(r, "transfusion-generate-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** {@code generate} of each prompt's index 0..count-1; the first failure (in prompt order) is thrown once all have ended. */
    List<GenerationResult> run(int count, IntFunction<GenerationResult> generate) {
        List<Future<GenerationResult>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int k = i;
            futures.add(pool.submit(() -> generate.apply(k)));
        }
        List<GenerationResult> out = new ArrayList<>(count);
        RuntimeException first = null;
        for (Future<GenerationResult> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error err) {
                    throw err;
                }
                first = first != null ? first : cause instanceof RuntimeException r ? r : new RuntimeException(cause);
            } catch (InterruptedException e) {
                futures.forEach(g -> g.cancel(true));
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while generating", e);
            }
        }
        if (first != null) {
            throw first;
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
