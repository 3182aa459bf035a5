package dev.transfusion.core.model;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Forward and backward through a SameDiff graph, with the step's memory reused from step to step.
 *
 * <p>The graph's gradient function is built once, then run directly on this thread's session with a
 * {@link StepArena} for memory. SameDiff's own {@code calculateGradientsAndOutputs} switches the array cache
 * off for that function, so every intermediate array of every step was a fresh native allocation,
 * zero-filled page by page and freed whenever the garbage collector ran: that took more than half of a small
 * model's step (docs/performance.md). The price: arrays a call returns are valid until the next call on
 * the same graph and thread, which reuses their memory; copy what must live longer.
 */
public final class GradientFunction {
    private static final PrintStream SILENT = new PrintStream(OutputStream.nullOutputStream());
    // -Dtransfusion.stepArena=false restores SameDiff's own path (to measure the difference)
    private static final boolean ARENA = Boolean.parseBoolean(System.getProperty("transfusion.stepArena", "true"));

    private GradientFunction() {
    }

    /**
     * The values of {@code names} and the gradients of the graph's loss with respect to {@code parameters}
     * (a parameter the loss does not depend on has none). Placeholders may be among them: the gradient
     * function is then built to differentiate them too.
     *
     * @param outputs filled with the requested outputs by name
     * @return parameter name to gradient
     */
    public static Map<String, INDArray> run(SameDiff sd, Map<String, INDArray> placeholders, List<String> names,
                                            List<String> parameters, Map<String, INDArray> outputs) {
        if (!ARENA) {
            OutAndGrad r = quietly(() -> sd.calculateGradientsAndOutputs(placeholders, names, parameters));
            outputs.putAll(r.getOutputs());
            return r.getGradients();
        }
        SameDiff gradFn = gradientFunction(sd, parameters);
        InferenceSession session = gradFn.getSessions().computeIfAbsent(Thread.currentThread().getId(),
                id -> new InferenceSession(gradFn));
        if (!(session.getMmgr() instanceof StepArena)) {
            session.setMmgr(new StepArena());
        }
        ((StepArena) session.getMmgr()).reclaim();
        FreedArrays.clear(session);
        List<String> wanted = new ArrayList<>(names);
        Map<String, String> gradientOf = new LinkedHashMap<>();
        for (String p : parameters) {
            SDVariable g = sd.getVariable(p).getGradient();
            if (g != null) {
                gradientOf.put(p, g.name());
                wanted.add(g.name());
            }
        }
        gradFn.setEnableCache(true);  // lets the session hand arrays back to the arena within the step
        Map<String, INDArray> all = gradFn.output(placeholders, wanted.toArray(String[]::new));
        for (String s : names) {
            outputs.put(s, all.get(s));
        }
        Map<String, INDArray> grads = new HashMap<>();
        gradientOf.forEach((p, g) -> grads.put(p, all.get(g)));
        return grads;
    }

    private static SameDiff gradientFunction(SameDiff sd, List<String> parameters) {
        SameDiff gradFn = sd.getFunction("grad"); // SameDiff.GRAD_FN_KEY, which is protected
        if (gradFn == null) {
            String[] inputs = parameters.stream().filter(p -> sd.getVariable(p).isPlaceHolder()).toArray(String[]::new);
            quietly(() -> {
                sd.createGradFunction(inputs);
                return null;
            });
            gradFn = sd.getFunction("grad");
        }
        return gradFn;
    }

    /**
     * Runs {@code work} with System.out silenced: SameDiff prints one "Added differentiated op" line per op
     * the first time it builds the gradient graph. Synchronized because System.out is process-wide.
     */
    private static synchronized <T> T quietly(Supplier<T> work) {
        PrintStream out = System.out;
        System.setOut(SILENT);
        try {
            return work.get();
        } finally {
            System.setOut(out);
        }
    }
}
