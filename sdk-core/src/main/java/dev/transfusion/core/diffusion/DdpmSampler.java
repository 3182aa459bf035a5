package dev.transfusion.core.diffusion;

import dev.transfusion.api.InvalidInputException;
import java.util.random.RandomGenerator;

/**
 * Ancestral DDPM sampling with epsilon prediction and the posterior variance, the reference's
 * {@code ddpm_step}:
 *
 * <pre>
 *   mean   = (x_t - beta / sqrt(1 - abar_t) * eps_hat) / sqrt(1 - beta)
 *   var    = beta * (1 - abar_prev) / (1 - abar_t)
 *   x_prev = mean + sqrt(var) * z,   z ~ N(0, I);   no noise when stepping to the clean sample
 * </pre>
 *
 * For a step from t to t-1, {@code beta = beta_t} and {@code abar_prev = abar_{t-1}} (1 at t = 0): the
 * reference exactly. For a strided step from t to an earlier {@code tPrev} (a plan with fewer than T
 * steps, see {@link TimestepPlan#ancestral}, which starts at 985 rather than 999 for the reason given
 * at {@link TimestepPlan#start}), the chain is re-derived between the chosen steps:
 * {@code beta = 1 - abar_t / abar_prev} with {@code abar_prev = abar_{tPrev}} (1 for tPrev = -1), the
 * "respacing" of Nichol and Dhariwal, which keeps abar at the visited steps unchanged.
 */
public final class DdpmSampler implements ReverseStep {
    private final NoiseSchedule schedule;

    /** A sampler over {@code schedule}. */
    public DdpmSampler(NoiseSchedule schedule) {
        this.schedule = schedule;
    }

    /** The schedule it samples with. */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** The ancestral plan of {@code steps} steps, from {@link TimestepPlan#start} down to 0. */
    public TimestepPlan plan(int steps) {
        return TimestepPlan.ancestral(schedule.steps(), steps);
    }

    /**
     * One step in float: computed in double, with z drawn as {@code rng.nextGaussian()} per value (none
     * when {@code tPrev = -1}).
     */
    @Override
    public float[] step(float[] xT, float[] epsHat, int t, int tPrev, RandomGenerator rng) {
        double[] x = new double[xT.length], e = new double[epsHat.length], z = new double[xT.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = xT[i];
        }
        for (int i = 0; i < e.length; i++) {
            e[i] = epsHat[i];
        }
        if (tPrev >= 0) {
            for (int i = 0; i < z.length; i++) {
                z[i] = rng.nextGaussian();
            }
        }
        double[] r = step(x, e, t, tPrev, z);
        float[] out = new float[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = (float) r[i];
        }
        return out;
    }

    /**
     * One step in double precision with explicit noise {@code z} (ignored when {@code tPrev = -1}); with
     * {@code tPrev = t - 1} this is the reference's {@code ddpm_step(x_t, eps_hat, t, z, ...)}.
     *
     * @return x_{tPrev}, same shape as {@code xT}
     */
    public double[] step(double[] xT, double[] epsHat, int t, int tPrev, double[] z) {
        checkSteps(schedule, t, tPrev);
        if (epsHat.length != xT.length || (tPrev >= 0 && z.length != xT.length)) {
            throw new InvalidInputException("DDPM step: x_t has " + xT.length + " values, eps_hat "
                    + epsHat.length + ", z " + z.length);
        }
        double abar = schedule.alphaCumprod(t);
        double abarPrev = schedule.alphaCumprodOrClean(tPrev);
        double beta = tPrev == t - 1 ? schedule.beta(t) : 1 - abar / abarPrev;
        double coef = beta / Math.sqrt(1 - abar);
        double scale = Math.sqrt(1 - beta);
        double sigma = tPrev < 0 ? 0 : Math.sqrt(beta * (1 - abarPrev) / (1 - abar));
        double[] out = new double[xT.length];
        for (int i = 0; i < out.length; i++) {
            double mean = (xT[i] - coef * epsHat[i]) / scale;
            out[i] = tPrev < 0 ? mean : mean + sigma * z[i];
        }
        return out;
    }

    static void checkSteps(NoiseSchedule schedule, int t, int tPrev) {
        if (t < 0 || t >= schedule.steps() || tPrev < -1 || tPrev >= t) {
            throw new InvalidInputException("a reverse step needs 0 <= t < " + schedule.steps()
                    + " and -1 <= t_prev < t, got t " + t + ", t_prev " + tPrev);
        }
    }

    @Override
    public String toString() {
        return "DdpmSampler[" + schedule + "]";
    }
}
