package dev.transfusion.samples.parity;

import dev.transfusion.core.model.GradientStep;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.parity.ReferenceFixture;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How far the SameDiff graph is from the reference on one fixture: the relative error (max absolute
 * error / max absolute expected value) of logits, predicted noise, each loss and each gradient.
 *
 * @param logits    relative error of the logits
 * @param epsHat    relative error of the predicted noise
 * @param losses    relative error of lm, ddpm, total
 * @param gradients relative error per parameter
 */
public record ParityReport(double logits, double epsHat, double[] losses, Map<String, Double> gradients) {
    /** Tolerance for logits and predicted noise. */
    public static final double OUTPUT_TOLERANCE = 1e-4;
    /** Tolerance for each loss. */
    public static final double LOSS_TOLERANCE = 1e-5;
    /** Tolerance for each gradient. */
    public static final double GRADIENT_TOLERANCE = 1e-3;

    /**
     * Runs the fixture's batch through a graph built from its parameters three times and reports the worst
     * figure of the three: the first step builds the gradient function, later ones reuse it with recycled
     * intermediate arrays (see {@link GradientStep}), and both paths must match.
     */
    public static ParityReport measure(ReferenceFixture f) {
        TransfusionGraph graph = new TransfusionGraph(f.config(), f.parameters());
        ParityReport worst = null;
        for (int run = 0; run < 3; run++) {
            ParityReport r = compare(f, GradientStep.run(graph, f.batch(), true));
            worst = worst == null ? r : worst.max(r);
        }
        return worst;
    }

    private static ParityReport compare(ReferenceFixture f, GradientStep result) {
        double[] losses = {
            relative(new double[] {result.lmLoss()}, new double[] {f.losses()[0]}),
            relative(new double[] {result.ddpmLoss()}, new double[] {f.losses()[1]}),
            relative(new double[] {result.totalLoss()}, new double[] {f.losses()[2]})};
        Map<String, Double> grads = new LinkedHashMap<>();
        for (var e : f.gradients().entrySet()) {
            grads.put(e.getKey(), relative(result.gradients().get(e.getKey()), e.getValue()));
        }
        return new ParityReport(relative(result.outputs().get(TransfusionGraph.LOGITS), f.logits()),
                relative(result.outputs().get(TransfusionGraph.EPS_HAT), f.epsHat()), losses, grads);
    }

    private ParityReport max(ParityReport o) {
        double[] l = new double[losses.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = Math.max(losses[i], o.losses[i]);
        }
        Map<String, Double> g = new LinkedHashMap<>(gradients);
        o.gradients.forEach((k, v) -> g.merge(k, v, Math::max));
        return new ParityReport(Math.max(logits, o.logits), Math.max(epsHat, o.epsHat), l, g);
    }

    /** The worst gradient error. */
    public double worstGradient() {
        return gradients.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /** Whether every figure is within its tolerance. */
    public boolean passes() {
        boolean ok = logits <= OUTPUT_TOLERANCE && epsHat <= OUTPUT_TOLERANCE && worstGradient() <= GRADIENT_TOLERANCE;
        for (double l : losses) {
            ok &= l <= LOSS_TOLERANCE;
        }
        return ok;
    }

    static double relative(INDArray got, float[] expected) {
        return relative(got.dup().data().asDouble(), toDouble(expected));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** max |got - expected| / max |expected| (absolute error when expected is all zero). */
    static double relative(double[] got, double[] expected) {
        if (got.length != expected.length) {
            throw new IllegalArgumentException("sizes differ: " + got.length + " vs " + expected.length);
        }
        double err = 0, scale = 0;
        for (int i = 0; i < got.length; i++) {
            double e = Math.abs(got[i] - expected[i]);
            err = Double.isNaN(e) ? Double.POSITIVE_INFINITY : Math.max(err, e);
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return scale == 0 ? err : err / scale;
    }
}
