package dev.transfusion.core.model;

import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.data.PackedBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One forward and backward pass: the three losses, optionally the logits and predicted noise, and the
 * gradient of the total loss with respect to every parameter.
 *
 * <p>The arrays are valid until the next step on the same graph and thread, which reuses their memory
 * ({@link GradientFunction}): copy what must live longer.
 *
 * @param lmLoss    next-token cross-entropy
 * @param ddpmLoss   noise-prediction MSE, summed over the modalities
 * @param totalLoss  lm + sum_m lambda_m ddpm_m
 * @param outputs    logits and each modality's eps_hat ({@link TransfusionGraph#epsHat}) when asked for, else empty
 * @param gradients  parameter name to gradient
 * @param ddpmLosses each modality's noise-prediction MSE, by modality name
 */
public record GradientStep(double lmLoss, double ddpmLoss, double totalLoss, Map<String, INDArray> outputs,
                           Map<String, INDArray> gradients, Map<String, Double> ddpmLosses) {

    /** Runs the graph on {@code batch}, its losses averaged over the batch itself. */
    public static GradientStep run(TransfusionGraph graph, PackedBatch batch, boolean withOutputs) {
        return run(graph, batch, LossNorm.of(batch), withOutputs);
    }

    /**
     * Runs the graph on {@code batch} with the losses averaged over {@code norm}'s counts. The embedding
     * rows and target rows go in as placeholders; their gradients come back and are added to the rows of
     * the two tables that were used ({@link TokenRows}).
     */
    public static GradientStep run(TransfusionGraph graph, PackedBatch batch, LossNorm norm, boolean withOutputs) {
        if (!graph.trainable()) {
            throw new IllegalStateException("this graph was built for inference only (TransfusionGraph.forInference): "
                    + "it has no loss to differentiate");
        }
        List<ModalityConfig> ms = graph.config().modalities();
        List<String> outs = new ArrayList<>(List.of(TransfusionGraph.LM_LOSS, TransfusionGraph.TOTAL_LOSS));
        ms.forEach(m -> outs.add(TransfusionGraph.ddpmLoss(m)));
        if (withOutputs) {
            outs.add(TransfusionGraph.LOGITS);
            ms.forEach(m -> outs.add(TransfusionGraph.epsHat("", m)));
        }
        List<String> wrt = new ArrayList<>(graph.parameterNames());
        wrt.addAll(TransfusionGraph.ROW_INPUTS);
        Map<String, INDArray> feed = GraphFeed.of(graph, batch, norm);
        Map<String, INDArray> o = new HashMap<>();
        Map<String, INDArray> grads;
        try {
            grads = GradientFunction.run(graph.sameDiff(), feed, outs, wrt, o);
            int vocab = graph.config().vocab();
            INDArray embeddings = graph.embeddingGradient();    // [V, D], zeroed
            TokenRows.scatterAdd(grads.remove(TransfusionGraph.TEXT_ROWS),
                    GraphFeed.textIds(batch.rows().tokens(), batch.rows().isImage(), vocab), embeddings);
            grads.put(TransfusionGraph.TOKEN_EMBEDDINGS, embeddings);
            TokenRows.scatterAdd(grads.remove(TransfusionGraph.TARGET_ROWS), GraphFeed.targetIds(batch.targets(), vocab),
                    grads.get(TransfusionGraph.LM_HEAD));
        } finally {
            // Freed now rather than when the garbage collector finds them: the Java heap barely grows, so
            // collections are rare and each step would otherwise take fresh pages from the OS. (The
            // gradients belong to the graph's step memory, which the next step reuses.)
            feed.values().forEach(INDArray::close);
        }
        Map<String, INDArray> extra = new HashMap<>();
        if (withOutputs) {
            extra.put(TransfusionGraph.LOGITS, o.get(TransfusionGraph.LOGITS));
            ms.forEach(m -> extra.put(TransfusionGraph.epsHat("", m), o.get(TransfusionGraph.epsHat("", m))));
        }
        Map<String, Double> ddpm = new java.util.LinkedHashMap<>();
        double sum = 0;
        for (ModalityConfig m : ms) {
            double v = o.get(TransfusionGraph.ddpmLoss(m)).getDouble(0);
            ddpm.put(m.name(), v);
            sum += v;
        }
        return new GradientStep(o.get(TransfusionGraph.LM_LOSS).getDouble(0), sum,
                o.get(TransfusionGraph.TOTAL_LOSS).getDouble(0), Map.copyOf(extra), grads, Map.copyOf(ddpm));
    }
}
