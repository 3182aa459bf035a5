package dev.transfusion.core.diffusion;

import dev.transfusion.api.InvalidInputException;

/**
 * The forward-process noise schedule: Nichol and Dhariwal's cosine schedule, exactly as the reference's
 * {@code cosine_alphas_cumprod} computes it, in double precision.
 *
 * <pre>
 *   abar(u) = cos((u + s) / (1 + s) * pi / 2)^2,   s = 0.008
 *   beta_i  = min(1 - abar((i + 1) / T) / abar(i / T), 0.999),   i = 0 .. T-1
 *   alphas_cumprod_t = prod_{i &lt;= t} (1 - beta_i)
 * </pre>
 *
 * Step t = T-1 is (almost) pure noise, t = 0 almost clean. Immutable and thread-safe.
 */
public final class NoiseSchedule {
    /** The paper's number of diffusion steps. */
    public static final int DEFAULT_STEPS = 1000;
    /** The cosine schedule's offset s. */
    public static final double COSINE_OFFSET = 0.008;
    /** The largest beta; the cosine schedule clips at it near t = T-1. */
    public static final double MAX_BETA = 0.999;

    private final double[] betas;          // [T]
    private final double[] alphasCumprod;  // [T]

    private NoiseSchedule(double[] betas) {
        this.betas = betas;
        this.alphasCumprod = new double[betas.length];
        double prod = 1.0;
        for (int t = 0; t < betas.length; t++) {
            prod *= 1.0 - betas[t];   // np.cumprod multiplies left to right
            alphasCumprod[t] = prod;
        }
    }

    /** The cosine schedule with {@link #DEFAULT_STEPS} steps. */
    public static NoiseSchedule cosine() {
        return cosine(DEFAULT_STEPS);
    }

    /** The cosine schedule with {@code steps} steps (at least 2). */
    public static NoiseSchedule cosine(int steps) {
        if (steps < 2) {
            throw new InvalidInputException("a noise schedule needs at least 2 steps, got " + steps);
        }
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            // the reference: u = (i + 1) / steps and i / steps as Python true divisions
            b[i] = Math.min(1 - abar((double) (i + 1) / steps) / abar((double) i / steps), MAX_BETA);
        }
        return new NoiseSchedule(b);
    }

    private static double abar(double u) {
        double c = Math.cos((u + COSINE_OFFSET) / (1 + COSINE_OFFSET) * Math.PI / 2);
        return c * c;
    }

    /** T, the number of steps. */
    public int steps() {
        return betas.length;
    }

    /** beta_t. */
    public double beta(int t) {
        return betas[check(t)];
    }

    /** alphas_cumprod_t, the signal share abar_t. */
    public double alphaCumprod(int t) {
        return alphasCumprod[check(t)];
    }

    /** abar_t, or 1.0 (clean) for t = -1: the "previous step" value the samplers use. */
    public double alphaCumprodOrClean(int t) {
        return t == -1 ? 1.0 : alphaCumprod(t);
    }

    /** All betas, a copy: [T]. */
    public double[] betas() {
        return betas.clone();
    }

    /** All alphas_cumprod, a copy: [T]. */
    public double[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    /**
     * The forward process q(x_t | x_0): {@code x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps}, computed in
     * float32 like the reference (the two square roots rounded to float, then float products and sum).
     *
     * @param x0  clean values, any shape
     * @param eps noise of the same shape
     * @param t   the step, 0 .. T-1
     * @return x_t, a new array of the same shape
     */
    public float[] addNoise(float[] x0, float[] eps, int t) {
        if (x0.length != eps.length) {
            throw new InvalidInputException("addNoise: x0 has " + x0.length + " values but eps has " + eps.length);
        }
        double ab = alphaCumprod(t);
        float a = (float) Math.sqrt(ab), b = (float) Math.sqrt(1 - ab);
        float[] out = new float[x0.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a * x0[i] + b * eps[i];
        }
        return out;
    }

    /**
     * The inverse of {@link #addNoise}: the estimate of the clean sample that x_t and a predicted noise imply,
     * {@code x0_hat = (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t)}, in double, kept in [lo, hi] (pass infinities
     * for no bound).
     */
    public double[] predictClean(float[] xt, float[] eps, int t, double lo, double hi) {
        if (xt.length != eps.length) {
            throw new InvalidInputException("predictClean: x_t has " + xt.length + " values but eps has " + eps.length);
        }
        double ab = alphaCumprod(t), signal = Math.sqrt(ab), noise = Math.sqrt(1 - ab);
        double[] out = new double[xt.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(lo, Math.min(hi, (xt[i] - noise * eps[i]) / signal));
        }
        return out;
    }

    private int check(int t) {
        if (t < 0 || t >= betas.length) {
            throw new InvalidInputException("diffusion step " + t + " outside 0.." + (betas.length - 1));
        }
        return t;
    }

    @Override
    public String toString() {
        return "NoiseSchedule[cosine, T=" + betas.length + "]";
    }
}
