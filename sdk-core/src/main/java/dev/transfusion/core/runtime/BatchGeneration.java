package dev.transfusion.core.runtime;

import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Many prompts through a batching model: each on a thread of its own, at most {@code width} at once (a pass
 * takes no more), so that their steps meet in the scheduler's passes; results in prompt order.
 */
final class BatchGeneration {
    private BatchGeneration() {
    }

    /** {@code generate} of each prompt; the first failure (in prompt order) is thrown once all have ended. */
    static List<GenerationResult> run(List<Document> prompts, int width, Function<Document, GenerationResult> generate) {
        if (prompts.isEmpty()) {
            return List.of();
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(width, prompts.size()), r -> {
            Thread t = new Thread(r, "transfusion-generate-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<GenerationResult>> futures = new ArrayList<>();
            for (Document p : prompts) {
                futures.add(pool.submit(() -> generate.apply(p)));
            }
            List<GenerationResult> out = new ArrayList<>(prompts.size());
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
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while generating", e);
                }
            }
            if (first != null) {
                throw first;
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
