package dev.transfusion.core.train;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * AdamW with decoupled weight decay, as {@code torch.optim.AdamW}: p -= lr wd p, then
 * p -= lr m^ / (sqrt(v^) + eps). Weight decay applies to matrices only (norm gains, biases stay
 * undecayed, as in Llama and nanoGPT). Our own optimizer because SameDiff's {@code fit} reports no loss
 * and has no global-norm clipping.
 *
 * <p>The update is a plain Java loop over the parameters' native buffers: one pass per tensor instead of a
 * dozen nd4j ops, each of which pays a dispatch and thread hand-off that costs more than the arithmetic.
 */
public final class AdamW {
    /** The paper's settings. */
    public record Settings(double beta1, double beta2, double eps, double weightDecay, double clipNorm) {
        /** beta 0.9 / 0.95, eps 1e-8, weight decay 0.1, clipping at 1.0. */
        public static final Settings PAPER = new Settings(0.9, 0.95, 1e-8, 0.1, 1.0);
    }

    private final Settings settings;
    private final Map<String, float[]> m = new LinkedHashMap<>();
    private final Map<String, float[]> v = new LinkedHashMap<>();
    private long step;

    /** A fresh optimizer. */
    public AdamW(Settings settings) {
        this.settings = settings;
    }

    /** Steps taken so far. */
    public long step() {
        return step;
    }

    /** First-moment state, by parameter name (for checkpoints; live arrays). */
    public Map<String, float[]> firstMoments() {
        return m;
    }

    /** Second-moment state, by parameter name (for checkpoints; live arrays). */
    public Map<String, float[]> secondMoments() {
        return v;
    }

    /** Restores state written by a checkpoint. */
    public void restore(long steps, Map<String, float[]> first, Map<String, float[]> second) {
        this.step = steps;
        m.clear();
        v.clear();
        first.forEach((k, a) -> m.put(k, a.clone()));
        second.forEach((k, a) -> v.put(k, a.clone()));
    }

    /** The global L2 norm of the gradients. */
    public static double globalNorm(Map<String, INDArray> grads) {
        double sq = 0;
        for (INDArray g : grads.values()) {
            FloatBuffer b = buffer(g);
            for (int i = 0; i < b.limit(); i++) {
                double x = b.get(i);
                sq += x * x;
            }
        }
        return Math.sqrt(sq);
    }

    /**
     * Clips the gradients to the global norm limit, then updates {@code params} in place.
     *
     * @param gradNorm the global norm of {@code grads}, already measured by the caller
     */
    public void update(Map<String, INDArray> params, Map<String, INDArray> grads, double gradNorm, double lr) {
        step++;
        float clip = (float) (settings.clipNorm() > 0 && gradNorm > settings.clipNorm()
                ? settings.clipNorm() / (gradNorm + 1e-6) : 1.0);
        float b1 = (float) settings.beta1(), b2 = (float) settings.beta2();
        float c1 = (float) (1 - Math.pow(b1, step)), c2 = (float) (1 - Math.pow(b2, step));
        float eps = (float) settings.eps(), rate = (float) lr;
        for (var e : params.entrySet()) {
            String name = e.getKey();
            INDArray g = grads.get(name);
            if (g == null) {
                continue;
            }
            FloatBuffer p = buffer(e.getValue()), gb = buffer(g);
            int n = p.limit();
            float[] mi = m.computeIfAbsent(name, k -> new float[n]);
            float[] vi = v.computeIfAbsent(name, k -> new float[n]);
            float decay = e.getValue().rank() >= 2 ? (float) (1 - lr * settings.weightDecay()) : 1f;
            for (int i = 0; i < n; i++) {
                float gi = gb.get(i) * clip;
                mi[i] = b1 * mi[i] + (1 - b1) * gi;
                vi[i] = b2 * vi[i] + (1 - b2) * gi * gi;
                float denom = (float) Math.sqrt(vi[i] / c2) + eps;
                p.put(i, p.get(i) * decay - rate * (mi[i] / c1) / denom);
            }
        }
    }

    /** A view of an array's native memory (no copy); the array must be dense and in C order. */
    static FloatBuffer buffer(INDArray a) {
        if (a.isView() || a.ordering() != 'c') {
            throw new IllegalArgumentException("expected a dense C-order array, got a view or 'f' order");
        }
        return a.data().asNioFloat();
    }
}
