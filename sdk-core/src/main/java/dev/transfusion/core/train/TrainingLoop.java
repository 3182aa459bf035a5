package dev.transfusion.core.train;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.TrainingDivergedException;
import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.TrainingStep;
import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.model.GradientStep;
import dev.transfusion.core.model.TransfusionGraph;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Joint training: for each step, a batch, one forward/backward pass through the graph, a finite-value
 * check, global-norm clipping and an AdamW update; a checkpoint every {@code checkpointEvery} steps.
 */
public final class TrainingLoop {
    private final TransfusionGraph graph;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final BatchSource data;
    private final long seed;
    private final Map<String, INDArray> params = new LinkedHashMap<>();
    private double lastLoss = Double.NaN;
    private @Nullable WeightAverage average;
    private GradientBackend backend;

    /** A loop over {@code graph}'s parameters. */
    public TrainingLoop(TransfusionGraph graph, AdamW optimizer, LearningRateSchedule schedule, BatchSource data,
                        long seed) {
        this.graph = graph;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.data = data;
        this.seed = seed;
        this.backend = new DataParallel(graph, 1);
        for (String name : graph.parameterNames()) {
            params.put(name, graph.parameter(name));
        }
    }

    /** Keeps an exponential moving average of the weights from now on (saved in checkpoints). */
    public TrainingLoop withWeightAverage(double decay) {
        this.average = new WeightAverage(decay);
        return this;
    }

    /**
     * Runs each step's forward and backward passes on {@code replicas} data-parallel replicas, each on a
     * thread of its own over a share of the batch's rows ({@link DataParallel}); 1 runs on the caller's thread.
     */
    public TrainingLoop withReplicas(int replicas) {
        backend.close();
        this.backend = new DataParallel(graph, replicas);
        return this;
    }

    /** Stops the replicas' threads. */
    public void close() {
        backend.close();
    }

    /** Steps done. */
    public long step() {
        return optimizer.step();
    }

    /** Runs one optimizer step and reports it. */
    public TrainingStep step(TrainingListener listener) {
        long s = optimizer.step() + 1;
        long t0 = System.nanoTime();
        PackedBatch batch = data.batch(s);
        GradientStep r = backend.step(batch);
        double norm = AdamW.globalNorm(r.gradients());
        if (!Double.isFinite(r.totalLoss()) || !Double.isFinite(norm)) {
            throw new TrainingDivergedException("training diverged at step " + s + ": total loss " + r.totalLoss()
                    + " (lm " + r.lmLoss() + ", ddpm " + r.ddpmLoss() + "), gradient norm " + norm
                    + "; the update was not applied. Lower the learning rate or resume from the last checkpoint.");
        }
        double lr = schedule.rate(s);
        optimizer.update(params, r.gradients(), norm, lr);
        if (average != null) {
            average.update(params);
        }
        lastLoss = r.totalLoss();
        TrainingStep step = new TrainingStep(s, schedule.total(), r.lmLoss(), r.ddpmLoss(), r.totalLoss(), norm, lr,
                batch.positionsCount(), (System.nanoTime() - t0) / 1e6, r.ddpmLosses());
        listener.onStep(step);
        return step;
    }

    /**
     * Steps until {@code schedule.total()} or cancellation, writing a checkpoint to {@code checkpointDir}
     * every {@code checkpointEvery} steps and at the end; returns the last step, or null if none ran.
     */
    public @Nullable TrainingStep run(TrainingListener listener, Cancellation cancellation, @Nullable Path checkpointDir,
                                      long checkpointEvery) {
        TrainingStep last = null;
        while (optimizer.step() < schedule.total() && !cancellation.isCancelled()) {
            last = step(listener);
            if (checkpointDir != null && (last.step() % checkpointEvery == 0 || last.step() == schedule.total())) {
                checkpoint().write(checkpointDir);
            }
        }
        return last;
    }

    /** The current weights, optimizer state and position, as a checkpoint. */
    public Checkpoint checkpoint() {
        return new Checkpoint(graph.config(), floats(params), copy(optimizer.firstMoments()),
                copy(optimizer.secondMoments()), average == null ? Map.of() : copy(average.weights()),
                new TrainingState(optimizer.step(), schedule.total(), seed, schedule.peak(), schedule.warmup(), lastLoss));
    }

    /** Restores optimizer and average state from a checkpoint whose weights built this loop's graph. */
    public void restore(Checkpoint c) {
        optimizer.restore(c.state().step(), c.firstMoments(), c.secondMoments());
        if (average != null && !c.averageWeights().isEmpty()) {
            average.restore(c.state().step(), c.averageWeights());
        }
        lastLoss = c.state().lastLoss();
    }

    private static Map<String, float[]> copy(Map<String, float[]> arrays) {
        Map<String, float[]> out = new LinkedHashMap<>();
        arrays.forEach((k, a) -> out.put(k, a.clone()));
        return out;
    }

    private static Map<String, float[]> floats(Map<String, INDArray> arrays) {
        Map<String, float[]> out = new LinkedHashMap<>();
        arrays.forEach((k, a) -> out.put(k, a.dup('c').data().asFloat()));
        return out;
    }
}
