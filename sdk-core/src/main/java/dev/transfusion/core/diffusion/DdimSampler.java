package dev.transfusion.core.diffusion;

import dev.transfusion.api.InvalidInputException;
import java.util.random.RandomGenerator;

/**
 * Deterministic DDIM sampling (eta = 0), the reference's {@code ddim_step}:
 *
 * <pre>
 *   x0_hat = (x_t - sqrt(1 - abar_t) eps_hat) / sqrt(abar_t)
 *   x_prev = sqrt(abar_prev) x0_hat + sqrt(1 - abar_prev) eps_hat,   abar_prev = 1 when t_prev = -1
 * </pre>
 *
 * Any descending plan works; use {@link TimestepPlan#ddim}, which starts at 985 rather than 999
 * (see there why).
 */
public final class DdimSampler implements ReverseStep {
    private final NoiseSchedule schedule;

    /** A sampler over {@code schedule}. */
    public DdimSampler(NoiseSchedule schedule) {
        this.schedule = schedule;
    }

    /** The schedule it samples with. */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** The DDIM plan of {@code steps} steps (see {@link TimestepPlan#ddim}). */
    public TimestepPlan plan(int steps) {
        return TimestepPlan.ddim(schedule.steps(), steps);
    }

    /** One step; {@code rng} is not used (eta = 0). */
    @Override
    public float[] step(float[] xT, float[] epsHat, int t, int tPrev, RandomGenerator rng) {
        double[] x = new double[xT.length], e = new double[epsHat.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = xT[i];
        }
        for (int i = 0; i < e.length; i++) {
            e[i] = epsHat[i];
        }
        double[] r = step(x, e, t, tPrev);
        float[] out = new float[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = (float) r[i];
        }
        return out;
    }

    /** One step in double precision. */
    public double[] step(double[] xT, double[] epsHat, int t, int tPrev) {
        DdpmSampler.checkSteps(schedule, t, tPrev);
        if (epsHat.length != xT.length) {
            throw new InvalidInputException("DDIM step: x_t has " + xT.length + " values, eps_hat " + epsHat.length);
        }
        double ab = schedule.alphaCumprod(t), abPrev = schedule.alphaCumprodOrClean(tPrev);
        double noiseT = Math.sqrt(1 - ab), signalT = Math.sqrt(ab);
        double signalPrev = Math.sqrt(abPrev), noisePrev = Math.sqrt(1 - abPrev);
        double[] out = new double[xT.length];
        for (int i = 0; i < out.length; i++) {
            double x0 = (xT[i] - noiseT * epsHat[i]) / signalT;
            out[i] = signalPrev * x0 + noisePrev * epsHat[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "DdimSampler[" + schedule + "]";
    }
}
