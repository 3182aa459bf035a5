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
    /** Where sampling starts, as a share of T (see {@link #start}). */
    public static final double START_SHARE = 0.985;

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
     * Where both samplers start, as a share of T: 985 for T = 1000, as the reference's bench does. Why not
     * T-1: with the cosine schedule abar_999 is 2.4e-9. DDIM's {@code x0_hat = (x_t - sqrt(1 - abar)
     * eps_hat) / sqrt(abar)} then multiplies any error of eps_hat by 20,000 at the first step; the ancestral
     * step divides by {@code sqrt(1 - beta)}, and beta_999 is clipped at 0.999 (strided 999 -> 995:
     * 0.99994), so an error of eps_hat is multiplied by 32 (126 strided) and the image explodes into
     * saturated blotches. At 985, 1/sqrt(abar) is 46 and the first ancestral factor 1.2. Pure noise is
     * still the right start there: sqrt(abar_985) = 0.02.
     */
    public static int start(int total) {
        return Math.min(total - 1, (int) Math.round(START_SHARE * total));
    }

    /**
     * The ancestral (DDPM) plan of {@code steps} steps over a schedule of {@code total} steps, evenly
     * strided from {@link #start} down to 0: {@code t_i = start - floor(i (start + 1) / steps)} (250 of
     * 1000: 985, 982, .., 3). {@link DdpmSampler} recomputes beta between the chosen steps from
     * alphas_cumprod. Asking for more than {@code start + 1} steps visits each of them once.
     */
    public static TimestepPlan ancestral(int total, int steps) {
        checkCount(total, steps);
        int start = start(total);
        int[] t = IntStream.range(0, steps).map(i -> start - (int) ((long) i * (start + 1) / steps))
                .distinct().toArray();
        return of(t);
    }

    /**
     * The DDIM plan of {@code steps} steps: {@code round(start * (1 - i / steps))} for i = 0 .. steps-1
     * (Python's round, half to even), then -1, with {@link #start} (985 for T = 1000), as the reference's
     * bench. Steps that round to the same t are visited once, so a plan of more than {@code start} steps
     * has fewer than asked.
     */
    public static TimestepPlan ddim(int total, int steps) {
        checkCount(total, steps);
        int start = start(total);
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

    private static void checkCount(int total, int steps) {
        if (total < 2) {
            throw new InvalidInputException("a schedule needs at least 2 steps, got " + total);
        }
        if (steps < 1 || steps > total) {
            throw new InvalidInputException("sampling steps must be 1.." + total + " for T = " + total + ", got " + steps);
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
