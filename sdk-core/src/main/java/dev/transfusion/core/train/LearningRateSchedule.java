package dev.transfusion.core.train;

/**
 * Linear warm-up to the peak rate, then cosine decay to {@code minRatio} of it at the last step.
 *
 * @param peak       the peak learning rate
 * @param warmup     warm-up steps
 * @param total      total steps
 * @param minRatio   the final rate as a share of the peak
 */
public record LearningRateSchedule(double peak, long warmup, long total, double minRatio) {

    /** The rate for step {@code s} (1-based). */
    public double rate(long s) {
        if (warmup > 0 && s <= warmup) {
            return peak * s / warmup;
        }
        if (total <= warmup) {
            return peak;
        }
        double progress = Math.min(1.0, (double) (s - warmup) / (total - warmup));
        return peak * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
