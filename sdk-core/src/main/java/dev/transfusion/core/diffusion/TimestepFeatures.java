package dev.transfusion.core.diffusion;

import dev.transfusion.api.InvalidInputException;

/**
 * Sinusoidal features of diffusion steps, the input of the graph's timestep MLP: for each t,
 * {@code [cos(t f_0) .. cos(t f_{h-1}), sin(t f_0) .. sin(t f_{h-1})]} with {@code h = dim / 2} and
 * {@code f_i = exp(-ln(10000) * i / h)}.
 *
 * <p>Computed in float32 in the same order as the reference's torch code ({@code -ln(10000)} rounded to
 * float, times {@code i}, divided by {@code h}, exp; then the float product {@code t * f_i}). The exp is
 * SLEEF's {@code expf_u10}, the vectorised float exp that torch runs on x86 CPUs, re-implemented here:
 * it is not always correctly rounded (f_7 for h = 16 is one ulp above {@code (float) Math.exp}), and one
 * ulp of f_i moves {@code cos(999 f_i)} by ~2e-6. With it the frequencies match torch's bit for bit and the
 * features agree to ~1e-7 (the cos/sin rounding).
 */
public final class TimestepFeatures {
    private static final float NEG_LOG_10000 = (float) -Math.log(10000.0);
    private static final float R_LN2F = 1.442695040888963407359924681001892137426645954152985934135449406931f;
    private static final float L2UF = 0.693145751953125f;
    private static final float L2LF = 1.428606765330187045e-06f;

    private TimestepFeatures() {
    }

    /** The frequencies f_0 .. f_{h-1}, float32: [dim / 2]. */
    public static float[] frequencies(int dim) {
        if (dim <= 0 || dim % 2 != 0) {
            throw new InvalidInputException("timestep feature size must be even and positive, got " + dim);
        }
        int half = dim / 2;
        float[] f = new float[half];
        for (int i = 0; i < half; i++) {
            float scaled = NEG_LOG_10000 * (float) i;   // torch: scalar * arange(float32)
            f[i] = expf(scaled / (float) half);
        }
        return f;
    }

    /**
     * Features of each step.
     *
     * @param t   diffusion steps, [N]
     * @param dim feature size, even
     * @return [N, dim], row-major
     */
    public static float[] of(int[] t, int dim) {
        float[] f = frequencies(dim);
        int half = f.length;
        float[] out = new float[t.length * dim];   // [N, dim]
        for (int n = 0; n < t.length; n++) {
            float tn = (float) t[n];
            int row = n * dim;
            for (int i = 0; i < half; i++) {
                float arg = tn * f[i];
                out[row + i] = (float) Math.cos(arg);
                out[row + half + i] = (float) Math.sin(arg);
            }
        }
        return out;
    }

    /**
     * exp in float32 as SLEEF's {@code xexpf} (u10) computes it with fused multiply-adds: range reduction
     * by ln 2 in two parts, a degree-6 polynomial, then scaling by 2^q.
     */
    static float expf(float d) {
        if (d < -104f) {
            return 0f;
        }
        if (d > 104f) {
            return Float.POSITIVE_INFINITY;
        }
        int q = (int) Math.rint(d * R_LN2F);
        float s = Math.fma((float) q, -L2UF, d);
        s = Math.fma((float) q, -L2LF, s);
        float u = 0.000198527617612853646278381f;
        u = Math.fma(u, s, 0.00139304355252534151077271f);
        u = Math.fma(u, s, 0.00833336077630519866943359f);
        u = Math.fma(u, s, 0.0416664853692054748535156f);
        u = Math.fma(u, s, 0.166666671633720397949219f);
        u = Math.fma(u, s, 0.5f);
        u = 1.0f + Math.fma(s * s, u, s);
        return Math.scalb(u, q);
    }
}
