package dev.transfusion.core.diffusion;

import dev.transfusion.api.DiffusionSampler;
import dev.transfusion.api.InvalidInputException;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The diffusion steps a sampling loop visits, strictly descending and ending with -1 (the clean
 * sample): {@code [t_0, t_1, ..., t_{n-1}, -1]}. Step k goes from {@link #t(int) t(k)} to
 * {@link #tPrev(int) tPrev(k)}, for k in 0 .. {@link #steps()}-1.
 *
 * @param timesteps the visited steps, descending, the last one -1
 */
public record TimestepPlan(int[] timesteps) {
    /** Where DDIM starts, as a share of T: 985 for T = 1000, as the reference's bench does. */
    public static final double DDIM_START_SHARE = 0.985;

    public TimestepPlan {
        timesteps = timesteps.clone();
        if (timesteps.length < 2 || timesteps[timesteps.length - 1] != -1) {
            throw new InvalidInputException("a timestep plan needs at least one step and must end with -1, got "
                    + Arrays.toString(timesteps));
        }
        for (int i = 1; i < timesteps.length; i++) {
            if (timesteps[i] >= timesteps[i - 1]) {
                throw new InvalidInputException("a timestep plan must be strictly descending, got "
                        + Arrays.toString(timesteps));
            }
        }
    }

    /** A plan of the given steps; -1 is appended when missing. */
    public static TimestepPlan of(int... timesteps) {
        if (timesteps.length > 0 && timesteps[timesteps.length - 1] == -1) {
            return new TimestepPlan(timesteps);
        }
        int[] t = Arrays.copyOf(timesteps, timesteps.length + 1);
        t[timesteps.length] = -1;
        return new TimestepPlan(t);
    }

    /**
     * The ancestral (DDPM) plan of {@code steps} steps over a schedule of {@code total} steps: every step
     * T-1, T-2, .., 0 when {@code steps == total}; otherwise evenly strided, always starting at T-1:
     * {@code t_i = T - 1 - floor(i T / steps)} (250 of 1000: 999, 995, .., 3). {@link DdpmSampler}
     * recomputes beta between the chosen steps from alphas_cumprod.
     */
    public static TimestepPlan ancestral(int total, int steps) {
        checkCount(total, steps, total);
        int[] t = IntStream.range(0, steps).map(i -> total - 1 - (int) ((long) i * total / steps)).toArray();
        return of(t);
    }

    /**
     * The DDIM plan of {@code steps} steps: {@code round(start * (1 - i / steps))} for i = 0 .. steps-1
     * (Python's round, half to even), then -1, with {@code start = round(0.985 T)} (985 for T = 1000), as
     * the reference's bench. Why not T-1: with the cosine schedule abar_999 is 2.4e-9, so DDIM's
     * {@code x0_hat = (x_t - sqrt(1 - abar) eps_hat) / sqrt(abar)} multiplies any error of eps_hat by
     * 20,000 at the first step and the image explodes; at 985, 1/sqrt(abar) is 46. Steps that round to
     * the same t are visited once, so a plan of more than {@code start} steps has fewer than asked.
     */
    public static TimestepPlan ddim(int total, int steps) {
        int start = Math.min(total - 1, (int) Math.round(DDIM_START_SHARE * total));
        checkCount(total, steps, start + 1);
        int[] t = IntStream.range(0, steps).map(i -> (int) Math.rint(start * (1 - (double) i / steps)))
                .distinct().toArray();
        return of(t);
    }

    /** The default plan of a sampler: {@link #ancestral} for DDPM, {@link #ddim} for DDIM. */
    public static TimestepPlan forSampler(DiffusionSampler sampler, int total, int steps) {
        return switch (sampler) {
            case DDPM -> ancestral(total, steps);
            case DDIM -> ddim(total, steps);
        };
    }

    private static void checkCount(int total, int steps, int most) {
        if (total < 2) {
            throw new InvalidInputException("a schedule needs at least 2 steps, got " + total);
        }
        if (steps < 1 || steps > most) {
            throw new InvalidInputException("sampling steps must be 1.." + most + " for T = " + total + ", got " + steps);
        }
    }

    /** The number of reverse steps (the plan's length minus the final -1). */
    public int steps() {
        return timesteps.length - 1;
    }

    /** The step that reverse step k starts from. */
    public int t(int k) {
        return timesteps[k];
    }

    /** The step that reverse step k goes to (-1 for the last: clean). */
    public int tPrev(int k) {
        return timesteps[k + 1];
    }

    /** The visited steps, a copy. */
    @Override
    public int[] timesteps() {
        return timesteps.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimestepPlan p && Arrays.equals(p.timesteps, timesteps);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(timesteps);
    }

    @Override
    public String toString() {
        int n = timesteps.length;
        return "TimestepPlan[" + steps() + " steps: " + (n <= 6 ? Arrays.toString(timesteps)
                : timesteps[0] + ", " + timesteps[1] + ", .., " + timesteps[n - 2] + ", -1") + "]";
    }
}
