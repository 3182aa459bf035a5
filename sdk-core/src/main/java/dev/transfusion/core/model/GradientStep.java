package dev.transfusion.core.model;

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
 * @param ddpmLoss  noise-prediction MSE
 * @param totalLoss lm + lambda ddpm
 * @param outputs   logits and eps_hat when asked for, else empty
 * @param gradients parameter name to gradient
 */
public record GradientStep(double lmLoss, double ddpmLoss, double totalLoss, Map<String, INDArray> outputs,
                           Map<String, INDArray> gradients) {

    /** Runs the graph on the placeholders {@code ph}. */
    public static GradientStep run(TransfusionGraph graph, Map<String, INDArray> ph, boolean withOutputs) {
        List<String> outs = withOutputs
                ? List.of(TransfusionGraph.LM_LOSS, TransfusionGraph.DDPM_LOSS, TransfusionGraph.TOTAL_LOSS,
                TransfusionGraph.LOGITS, TransfusionGraph.EPS_HAT)
                : List.of(TransfusionGraph.LM_LOSS, TransfusionGraph.DDPM_LOSS, TransfusionGraph.TOTAL_LOSS);
        Map<String, INDArray> o = new HashMap<>();
        Map<String, INDArray> grads = GradientFunction.run(graph.sameDiff(), ph, outs, graph.parameterNames(), o);
        Map<String, INDArray> extra = withOutputs
                ? Map.of(TransfusionGraph.LOGITS, o.get(TransfusionGraph.LOGITS),
                TransfusionGraph.EPS_HAT, o.get(TransfusionGraph.EPS_HAT))
                : Map.of();
        return new GradientStep(o.get(TransfusionGraph.LM_LOSS).getDouble(0), o.get(TransfusionGraph.DDPM_LOSS).getDouble(0),
                o.get(TransfusionGraph.TOTAL_LOSS).getDouble(0), extra, grads);
    }
}
