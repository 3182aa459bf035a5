package dev.transfusion.core.model;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One forward and backward pass: the three losses, optionally the logits and predicted noise, and the
 * gradient of the total loss with respect to every parameter.
 *
 * @param lmLoss    next-token cross-entropy
 * @param ddpmLoss  noise-prediction MSE
 * @param totalLoss lm + lambda ddpm
 * @param outputs   logits and eps_hat when asked for, else empty
 * @param gradients parameter name to gradient (owned by the caller until the next step)
 */
public record GradientStep(double lmLoss, double ddpmLoss, double totalLoss, Map<String, INDArray> outputs,
                           Map<String, INDArray> gradients) {

    private static final PrintStream SILENT = new PrintStream(OutputStream.nullOutputStream());

    /** Runs the graph on the placeholders {@code ph}. */
    public static GradientStep run(TransfusionGraph graph, Map<String, INDArray> ph, boolean withOutputs) {
        List<String> outs = withOutputs
                ? List.of(TransfusionGraph.LM_LOSS, TransfusionGraph.DDPM_LOSS, TransfusionGraph.TOTAL_LOSS,
                TransfusionGraph.LOGITS, TransfusionGraph.EPS_HAT)
                : List.of(TransfusionGraph.LM_LOSS, TransfusionGraph.DDPM_LOSS, TransfusionGraph.TOTAL_LOSS);
        OutAndGrad r = quietly(() -> graph.sameDiff().calculateGradientsAndOutputs(ph, outs, graph.parameterNames()));
        Map<String, INDArray> o = r.getOutputs();
        Map<String, INDArray> extra = withOutputs
                ? Map.of(TransfusionGraph.LOGITS, o.get(TransfusionGraph.LOGITS),
                TransfusionGraph.EPS_HAT, o.get(TransfusionGraph.EPS_HAT))
                : Map.of();
        return new GradientStep(o.get(TransfusionGraph.LM_LOSS).getDouble(0), o.get(TransfusionGraph.DDPM_LOSS).getDouble(0),
                o.get(TransfusionGraph.TOTAL_LOSS).getDouble(0), extra, r.getGradients());
    }

    /**
     * Runs {@code work} with System.out silenced: SameDiff prints one "Added differentiated op" line per op
     * the first time it builds the gradient graph. Synchronized because System.out is process-wide.
     */
    static synchronized <T> T quietly(java.util.function.Supplier<T> work) {
        PrintStream out = System.out;
        System.setOut(SILENT);
        try {
            return work.get();
        } finally {
            System.setOut(out);
        }
    }
}
