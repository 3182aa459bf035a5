package dev.transfusion.core.diffusion;

import dev.transfusion.api.DiffusionSampler;
import java.util.random.RandomGenerator;

/**
 * One step of a reverse (denoising) process: from x_t and the model's predicted noise at step t to
 * x_{tPrev}, where {@code tPrev < t} and {@code tPrev = -1} means the clean sample. A sampling loop walks
 * a {@link TimestepPlan} and calls this once per consecutive pair of its steps.
 */
@FunctionalInterface
public interface ReverseStep {

    /**
     * Takes one step.
     *
     * @param xT     the current sample x_t, any shape (e.g. [N, P] patches)
     * @param epsHat the predicted noise, same shape
     * @param t      the current step, 0 .. T-1
     * @param tPrev  the step to go to, -1 .. t-1
     * @param rng    the source of fresh noise (deterministic samplers ignore it)
     * @return x_{tPrev}, a new array of the same shape
     */
    float[] step(float[] xT, float[] epsHat, int t, int tPrev, RandomGenerator rng);

    /** The step function of the named sampler over {@code schedule}. */
    static ReverseStep of(DiffusionSampler sampler, NoiseSchedule schedule) {
        return switch (sampler) {
            case DDPM -> new DdpmSampler(schedule);
            case DDIM -> new DdimSampler(schedule);
        };
    }
}
