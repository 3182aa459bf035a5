package dev.transfusion.core.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * AdamW with decoupled weight decay, as {@code torch.optim.AdamW}: p -= lr wd p, then
 * p -= lr m^ / (sqrt(v^) + eps). Weight decay applies to matrices only (norm gains, biases stay
 * undecayed, as in Llama and nanoGPT). Our own optimizer because SameDiff's {@code fit} reports no loss
 * and has no global-norm clipping.
 */
public final class AdamW {
    /** The paper's settings. */
    public record Settings(double beta1, double beta2, double eps, double weightDecay, double clipNorm) {
        /** beta 0.9 / 0.95, eps 1e-8, weight decay 0.1, clipping at 1.0. */
        public static final Settings PAPER = new Settings(0.9, 0.95, 1e-8, 0.1, 1.0);
    }

    private final Settings settings;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long step;

    /** A fresh optimizer. */
    public AdamW(Settings settings) {
        this.settings = settings;
    }

    /** Steps taken so far. */
    public long step() {
        return step;
    }

    /** First-moment state, by parameter name (for checkpoints). */
    public Map<String, INDArray> firstMoments() {
        return m;
    }

    /** Second-moment state, by parameter name (for checkpoints). */
    public Map<String, INDArray> secondMoments() {
        return v;
    }

    /** Restores state written by a checkpoint. */
    public void restore(long steps, Map<String, INDArray> first, Map<String, INDArray> second) {
        this.step = steps;
        m.clear();
        v.clear();
        m.putAll(first);
        v.putAll(second);
    }

    /** The global L2 norm of the gradients. */
    public static double globalNorm(Map<String, INDArray> grads) {
        double sq = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sq += n * n;
        }
        return Math.sqrt(sq);
    }

    /**
     * Clips the gradients to the global norm limit (in place), then updates {@code params} in place.
     *
     * @param gradNorm the global norm of {@code grads}, already measured by the caller
     */
    public void update(Map<String, INDArray> params, Map<String, INDArray> grads, double gradNorm, double lr) {
        step++;
        double clip = settings.clipNorm() > 0 && gradNorm > settings.clipNorm()
                ? settings.clipNorm() / (gradNorm + 1e-6) : 1.0;
        double b1 = settings.beta1(), b2 = settings.beta2();
        double c1 = 1 - Math.pow(b1, step), c2 = 1 - Math.pow(b2, step);
        for (var e : params.entrySet()) {
            String name = e.getKey();
            INDArray p = e.getValue();
            INDArray g = grads.get(name);
            if (g == null) {
                continue;
            }
            if (clip != 1.0) {
                g.muli(clip);
            }
            INDArray mi = m.computeIfAbsent(name, k -> Nd4j.zerosLike(p));
            INDArray vi = v.computeIfAbsent(name, k -> Nd4j.zerosLike(p));
            mi.muli(b1).addi(g.mul(1 - b1));
            vi.muli(b2).addi(g.mul(g).muli(1 - b2));
            if (p.rank() >= 2 && settings.weightDecay() > 0) {
                p.muli(1 - lr * settings.weightDecay());
            }
            INDArray denom = Transforms.sqrt(vi.div(c2), true).addi(settings.eps());
            p.subi(mi.div(c1).divi(denom).muli(lr));
        }
    }
}
