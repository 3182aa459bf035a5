package dev.transfusion.core.train;

import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.model.GradientStep;
import dev.transfusion.core.model.LossNorm;
import dev.transfusion.core.model.TransfusionGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Data parallelism in one process: N replicas of the graph over the same parameter memory, each on a
 * thread of its own over a contiguous share of the batch's rows, their losses and gradients summed into
 * the first replica's before the optimizer step. Each replica averages its losses over the whole batch's
 * counts ({@link LossNorm}), so the sums are the whole batch's losses and gradients. This is the pattern of
 * multi-device data parallelism, with a sum over threads where devices would all-reduce.
 *
 * <p>With one replica, or a batch of one row, the step runs on the calling thread.
 */
public final class DataParallel implements GradientBackend {
    private final List<TransfusionGraph> graphs = new ArrayList<>();
    // one thread per replica, always the same: SameDiff keeps a session (and its step memory) per thread
    private final List<ExecutorService> threads = new ArrayList<>();

    /** {@code replicas} replicas of {@code graph} (the first is {@code graph} itself). */
    public DataParallel(TransfusionGraph graph, int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, got " + replicas);
        }
        graphs.add(graph);
        for (int i = 1; i < replicas; i++) {
            graphs.add(graph.replica());
        }
        for (int i = 0; i < replicas && replicas > 1; i++) {
            int id = i;
            threads.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "replica-" + id);
                t.setDaemon(true);
                return t;
            }));
        }
    }

    @Override
    public int replicas() {
        return graphs.size();
    }

    @Override
    public GradientStep step(PackedBatch batch) {
        int n = Math.min(graphs.size(), batch.batch());
        if (n == 1) {
            return GradientStep.run(graphs.get(0), batch, false);
        }
        LossNorm norm = LossNorm.of(batch);
        List<Future<GradientStep>> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TransfusionGraph g = graphs.get(i);
            PackedBatch part = batch.rows(i * batch.batch() / n, (i + 1) * batch.batch() / n);
            parts.add(threads.get(i).submit(() -> GradientStep.run(g, part, norm, false)));
        }
        List<GradientStep> done = new ArrayList<>();
        for (Future<GradientStep> f : parts) {
            done.add(await(f));
        }
        GradientStep first = done.get(0);
        double lm = 0, ddpm = 0, total = 0;
        Map<String, Double> perModality = new java.util.LinkedHashMap<>();
        for (GradientStep s : done) {
            lm += s.lmLoss();
            ddpm += s.ddpmLoss();
            total += s.totalLoss();
            s.ddpmLosses().forEach((name, v) -> perModality.merge(name, v, Double::sum));
            if (s != first) {
                for (Map.Entry<String, INDArray> e : first.gradients().entrySet()) {
                    INDArray other = s.gradients().get(e.getKey());
                    if (other != null) {
                        e.getValue().addi(other);    // the all-reduce
                    }
                }
            }
        }
        return new GradientStep(lm, ddpm, total, Map.of(), first.gradients(), Map.copyOf(perModality));
    }

    private static GradientStep await(Future<GradientStep> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a replica ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("a replica failed", e.getCause());
        }
    }

    @Override
    public void close() {
        threads.forEach(ExecutorService::shutdownNow);
    }
}
