package dev.transfusion.core.diffusion;

import java.util.random.RandomGenerator;

/**
 * A reverse step whose estimate of the clean sample is clipped to the data's range: x0_hat = clip((x_t -
 * sqrt(1 - abar_t) eps_hat) / sqrt(abar_t), lo, hi), then the noise that clipped estimate implies,
 * eps' = (x_t - sqrt(abar_t) x0_hat) / sqrt(1 - abar_t), goes to the wrapped sampler. For DDIM and for DDPM's
 * posterior mean this is the same as clipping x0_hat inside them (the "clip_sample" of common samplers); with
 * the range unreached it changes nothing.
 */
public final class ClippedStep implements ReverseStep {
    private final ReverseStep inner;
    private final NoiseSchedule schedule;
    private final double lo, hi;

    /** {@code inner} with its clean-sample estimate kept in [lo, hi]. */
    public ClippedStep(ReverseStep inner, NoiseSchedule schedule, double lo, double hi) {
        if (!(lo < hi)) {
            throw new IllegalArgumentException("clip range must have lo < hi, got " + lo + ", " + hi);
        }
        this.inner = inner;
        this.schedule = schedule;
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    public float[] step(float[] xT, float[] epsHat, int t, int tPrev, RandomGenerator rng) {
        double ab = schedule.alphaCumprod(t), signal = Math.sqrt(ab), noise = Math.sqrt(1 - ab);
        double[] x0 = schedule.predictClean(xT, epsHat, t, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        float[] eps = new float[epsHat.length];
        for (int i = 0; i < eps.length; i++) {
            double clipped = Math.max(lo, Math.min(hi, x0[i]));
            eps[i] = clipped == x0[i] ? epsHat[i] : (float) ((xT[i] - signal * clipped) / noise);
        }
        return inner.step(xT, eps, t, tPrev, rng);
    }
}
