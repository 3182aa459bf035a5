package dev.transfusion.api;

/**
 * What one optimizer step measured.
 *
 * @param step         the step just taken, from 1
 * @param totalSteps   steps planned
 * @param lmLoss       next-token cross-entropy (mean over text targets)
 * @param ddpmLoss     noise-prediction MSE (mean per image, then over images)
 * @param totalLoss    lmLoss + lambda * ddpmLoss
 * @param gradNorm     global gradient L2 norm before clipping
 * @param learningRate the rate used for this step
 * @param tokens       positions processed in this step
 * @param millis       wall time of this step
 */
public record TrainingStep(long step, long totalSteps, double lmLoss, double ddpmLoss, double totalLoss,
                           double gradNorm, double learningRate, long tokens, double millis) {
}
