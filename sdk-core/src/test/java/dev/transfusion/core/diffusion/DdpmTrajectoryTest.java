package dev.transfusion.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Whole ancestral trajectories, where the answer is known: for data x0 ~ N(mu, s^2) the ideal noise
 * estimate is {@code E[eps | x_t] = b (x_t - a mu) / (a^2 s^2 + b^2)} with {@code a = sqrt(abar_t)},
 * {@code b = sqrt(1 - abar_t)}, so a correct ancestral sampler started from pure noise must end with
 * samples of mean mu and deviation s. The default sampler once drew saturated blotches on the demo model
 * (it started at t = 999, where beta is clipped at 0.999); these tests fail for such a start.
 */
class DdpmTrajectoryTest {
    private static final double MU = 0.7, S = 0.3;
    private final NoiseSchedule schedule = NoiseSchedule.cosine();
    private final DdpmSampler ddpm = new DdpmSampler(schedule);

    /** The reference's {@code ddpm_step}, line by line (transfusion_ref.py), for one value. */
    private double referenceDdpmStep(double xT, double epsHat, int t, double z) {
        double beta = schedule.beta(t), abar = schedule.alphaCumprod(t);
        double abarPrev = t > 0 ? schedule.alphaCumprod(t - 1) : 1.0;
        double mean = (xT - beta / Math.sqrt(1 - abar) * epsHat) / Math.sqrt(1 - beta);
        if (t == 0) {
            return mean;
        }
        double var = beta * (1 - abarPrev) / (1 - abar);
        return mean + Math.sqrt(var) * z;
    }

    private double idealEps(double x, int t, double error) {
        return idealEps(x, t, error, Double.POSITIVE_INFINITY);
    }

    /** The ideal estimate for inputs clamped to +-{@code seen}: a network knows only the range it saw. */
    private double idealEps(double x, int t, double error, double seen) {
        x = Math.max(-seen, Math.min(seen, x));
        double a = Math.sqrt(schedule.alphaCumprod(t)), b = Math.sqrt(1 - schedule.alphaCumprod(t));
        return b * (x - a * MU) / (a * a * S * S + b * b) + error;
    }

    @Test
    void everyStepOfTheFullChainIsTheReferenceStep() {
        TimestepPlan plan = ddpm.plan(1000);
        SplittableRandom rng = new SplittableRandom(3);
        double[] ours = new double[64], ref = new double[64];
        for (int i = 0; i < ours.length; i++) {
            ours[i] = ref[i] = rng.nextGaussian();
        }
        for (int k = 0; k < plan.steps(); k++) {
            int t = plan.t(k);
            assertEquals(t - 1, plan.tPrev(k), "the full chain steps one at a time");
            double[] e = new double[ours.length], z = new double[ours.length];
            for (int i = 0; i < ours.length; i++) {
                e[i] = idealEps(ours[i], t, 0.01 * Math.sin(i + t));   // an imperfect model
                z[i] = rng.nextGaussian();
                ref[i] = referenceDdpmStep(ref[i], idealEps(ref[i], t, 0.01 * Math.sin(i + t)), t, z[i]);
            }
            ours = ddpm.step(ours, e, t, plan.tPrev(k), z);
            assertArrayEquals(ref, ours, 1e-9, "step " + t);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 250, 50})
    void samplesFromPureNoiseHaveTheDataDistribution(int steps) {
        double[] x = sample(ddpm.plan(steps), 4000, 0.02);
        double mean = 0, var = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        for (double v : x) {
            var += (v - mean) * (v - mean) / (x.length - 1);
        }
        assertEquals(MU, mean, 0.03, "mean of " + steps + "-step samples");
        assertEquals(S, Math.sqrt(var), 0.03, "deviation of " + steps + "-step samples");
    }

    @Test
    void startingAtTheLastStepWouldExplode() {
        // what the default sampler did: 250 steps from t = 999, where an error of eps_hat is multiplied by
        // 126; a network that saw x_t only within +-4 cannot pull such a sample back
        int[] from999 = new int[251];
        for (int i = 0; i < 250; i++) {
            from999[i] = 999 - i * 4;
        }
        from999[250] = -1;
        double worst = 0;
        for (double v : sample(new TimestepPlan(from999), 500, 0.05)) {
            worst = Math.max(worst, Math.abs(v - MU));
        }
        double ours = 0;
        for (double v : sample(ddpm.plan(250), 500, 0.05)) {
            ours = Math.max(ours, Math.abs(v - MU));
        }
        assertTrue(worst > 10 * S, "a start at 999 should blow up, got max |x - mu| " + worst);
        assertTrue(ours < 6 * S, "the plan from " + TimestepPlan.start(1000) + " stays in range, got " + ours);
    }

    private double[] sample(TimestepPlan plan, int n, double error) {
        return sample(plan, n, error, 4.0);
    }

    private double[] sample(TimestepPlan plan, int n, double error, double seen) {
        SplittableRandom rng = new SplittableRandom(11);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
        }
        for (int k = 0; k < plan.steps(); k++) {
            int t = plan.t(k);
            double[] e = new double[n], z = new double[n];
            for (int i = 0; i < n; i++) {
                e[i] = idealEps(x[i], t, error * ((i % 2) * 2 - 1), seen);
                z[i] = rng.nextGaussian();
            }
            x = ddpm.step(x, e, t, plan.tPrev(k), z);
        }
        return x;
    }
}
