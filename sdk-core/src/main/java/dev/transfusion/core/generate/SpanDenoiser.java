package dev.transfusion.core.generate;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PositionRows;
import dev.transfusion.core.diffusion.ClippedStep;
import dev.transfusion.core.diffusion.NoiseSchedule;
import dev.transfusion.core.diffusion.ReverseStep;
import dev.transfusion.core.diffusion.TimestepPlan;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Denoises one span of a continuous modality (an image, an audio clip, ...) after a cached prefix: n patches of
 * pure noise, then the sampler's steps, each a forward pass of the span (bidirectional inside it, attending to the
 * whole prefix). With guidance, the conditional and unconditional prefixes run as one batch of two rows, and
 * eps = eps_u + s (eps_c - eps_u).
 */
public final class SpanDenoiser {
    private final CachedForward forward;
    private final TransfusionConfig c;
    private final NoiseSchedule schedule;

    /** A denoiser running spans through {@code forward}. */
    public SpanDenoiser(CachedForward forward, TransfusionConfig c, NoiseSchedule schedule) {
        this.forward = forward;
        this.c = c;
        this.schedule = schedule;
    }

    /**
     * Returns the clean patches [n][P_m] of a span of the config's modality {@code kind}, or null if cancelled.
     *
     * @param cond      the conditional prefix, ending with the modality's begin token
     * @param uncond    the unconditional prefix ({@code [BOS, begin]}), or null for no guidance
     * @param onStep    called after each step with the steps done, the plan's steps and the t just denoised
     */
    public float @Nullable [][] denoise(KvCache cond, @Nullable KvCache uncond, int kind, GenerationOptions o,
                                        RandomGenerator rng, Progress onStep, Cancellation cancel) {
        ModalityConfig m = c.modalities().get(kind);
        int n = m.patches(), p = m.patchDim(), wide = c.patchDim();
        float[] x = new float[n * p];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        boolean guided = uncond != null;
        int rows = guided ? 2 : 1;
        KvCache past = guided ? KvCache.stack(cond, uncond) : cond;
        long total = past.length();
        long[] starts = guided ? new long[] {cond.length(), uncond.length()} : new long[] {cond.length()};
        TimestepPlan plan = TimestepPlan.forSampler(o.sampler(), schedule.steps(), o.diffusionSteps());
        ReverseStep step = ReverseStep.of(o.sampler(), schedule);
        double[] range = m.latentRange();
        if (range != null) {   // the codec's latents are bounded: keep the clean-latent estimate inside
            step = new ClippedStep(step, schedule, range[0], range[1]);
        }
        boolean[] allowed = spanMask(n, total, starts, c.bidirectionalSpans());
        int[] positions = new int[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                positions[r * n + i] = (int) starts[r] + i;
            }
        }
        int[] tokens = new int[rows * n];
        Arrays.fill(tokens, c.specialTokens().pad());
        boolean[] isImage = new boolean[rows * n];
        Arrays.fill(isImage, true);
        int[] modality = new int[rows * n];
        Arrays.fill(modality, kind);
        for (int k = 0; k < plan.steps(); k++) {
            if (cancel.isCancelled()) {
                return null;
            }
            int t = plan.t(k);
            float[] patches = new float[rows * n * wide];                     // [rows, n, P], P_m of them used
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(x, i * p, patches, (r * n + i) * wide, p);
                }
            }
            int[] ts = new int[rows * n];
            Arrays.fill(ts, t);
            float[] out = forward.peek(new PositionRows(rows, n, tokens, isImage, patches, ts, positions, allowed,
                    modality), past).epsHat();                                // [rows, n, P]
            float[] eps = new float[n * p];
            double s = o.guidanceScale();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) {
                    float cnd = out[i * wide + j];
                    eps[i * p + j] = guided ? (float) (out[(n + i) * wide + j] + s * (cnd - out[(n + i) * wide + j])) : cnd;
                }
            }
            float[] xt = x, e = eps;
            x = step.step(x, eps, t, plan.tPrev(k), rng);
            onStep.step(k + 1, plan.steps(), t, () -> cleanEstimate(xt, e, t, n, p, range));
        }
        float[][] out = new float[n][p];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * p, out[i], 0, p);
        }
        return out;
    }

    /**
     * What each of a span's {@code n} positions sees, in rows of one stacked cache of {@code total} positions whose
     * row r holds {@code starts[r]} of its own, right-aligned: [rows * n, total + n]. The left padding of a shorter
     * prefix stays invisible; inside the span every patch sees every other, or with causal span attention only
     * itself and those before it.
     */
    static boolean[] spanMask(int n, long total, long[] starts, boolean bidirectional) {
        int rows = starts.length, width = (int) (total + n);
        boolean[] allowed = new boolean[rows * n * width];
        for (int r = 0; r < rows; r++) {
            long pad = total - starts[r];
            for (int i = 0; i < n; i++) {
                int base = (r * n + i) * width;
                for (int j = 0; j < width; j++) {
                    allowed[base + j] = j >= pad && (j < total || bidirectional || j - total <= i);
                }
            }
        }
        return allowed;
    }

    /** Progress of one denoising: {@code done} of {@code total} steps, the last from diffusion time {@code t}. */
    @FunctionalInterface
    public interface Progress {
        void step(int done, int total, int t);

        /**
         * As {@link #step(int, int, int)}, with the estimate of the clean span at this step, x0_hat [n][P_m], computed
         * only when asked for (a preview); the default ignores it.
         */
        default void step(int done, int total, int t, java.util.function.Supplier<float[][]> clean) {
            step(done, total, t);
        }
    }

    /** The clean-span estimate at step t ({@link NoiseSchedule#predictClean}), in the latents' range if any: [n][P]. */
    private float[][] cleanEstimate(float[] xt, float[] eps, int t, int n, int p, double @Nullable [] range) {
        double[] x0 = schedule.predictClean(xt, eps, t, range == null ? Double.NEGATIVE_INFINITY : range[0],
                range == null ? Double.POSITIVE_INFINITY : range[1]);
        float[][] out = new float[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                out[i][j] = (float) x0[i * p + j];
            }
        }
        return out;
    }
}
