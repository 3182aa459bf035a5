package dev.transfusion.core.model;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Forward and backward through a SameDiff graph, with the step's memory reused from step to step.
 *
 * <p>The first call goes through {@code calculateGradientsAndOutputs}, which builds SameDiff's gradient
 * function; later calls run that function directly, on this thread's session with a {@link StepArena}.
 * {@code calculateGradientsAndOutputs} switches SameDiff's array cache off, so every intermediate array of
 * every step was a fresh native allocation, zero-filled page by page: that took more than half of a small
 * model's step (docs/performance.md). The price: arrays a call returns are valid until the next call on the
 * same graph and thread, which reuses their memory; copy what must live longer.
 */
public final class GradientFunction {
    private static final PrintStream SILENT = new PrintStream(OutputStream.nullOutputStream());
    // -Dtransfusion.stepArena=false restores SameDiff's own path (to measure the difference)
    private static final boolean ARENA = Boolean.parseBoolean(System.getProperty("transfusion.stepArena", "true"));

    private GradientFunction() {
    }

    /**
     * The values of {@code outputs} and the gradients of the graph's loss with respect to {@code parameters}.
     *
     * @param outputs    filled with the requested outputs by name
     * @return parameter name to gradient
     */
    public static Map<String, INDArray> run(SameDiff sd, Map<String, INDArray> placeholders, List<String> names,
                                            List<String> parameters, Map<String, INDArray> outputs) {
        SameDiff gradFn = sd.getFunction("grad"); // SameDiff.GRAD_FN_KEY, which is protected
        InferenceSession session = gradFn == null ? null : gradFn.getSessions().get(Thread.currentThread().getId());
        if (session == null || !ARENA) {
            OutAndGrad r = quietly(() -> sd.calculateGradientsAndOutputs(placeholders, names, parameters));
            outputs.putAll(r.getOutputs());
            return r.getGradients();
        }
        if (!(session.getMmgr() instanceof StepArena)) {
            session.setMmgr(new StepArena());
        }
        ((StepArena) session.getMmgr()).reclaim();
        FreedArrays.clear(session);
        String[] wanted = new String[names.size() + parameters.size()];
        for (int i = 0; i < names.size(); i++) {
            wanted[i] = names.get(i);
        }
        for (int i = 0; i < parameters.size(); i++) {
            wanted[names.size() + i] = sd.getVariable(parameters.get(i)).getGradient().name();
        }
        gradFn.setEnableCache(true);  // lets the session hand arrays back to the arena within the step
        Map<String, INDArray> all = gradFn.output(placeholders, wanted);
        for (String s : names) {
            outputs.put(s, all.get(s));
        }
        Map<String, INDArray> grads = new HashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            grads.put(parameters.get(i), all.get(wanted[names.size() + i]));
        }
        return grads;
    }

    /**
     * Runs {@code work} with System.out silenced: SameDiff prints one "Added differentiated op" line per op
     * the first time it builds the gradient graph. Synchronized because System.out is process-wide.
     */
    public static synchronized <T> T quietly(Supplier<T> work) {
        PrintStream out = System.out;
        System.setOut(SILENT);
        try {
            return work.get();
        } finally {
            System.setOut(out);
        }
    }
}
