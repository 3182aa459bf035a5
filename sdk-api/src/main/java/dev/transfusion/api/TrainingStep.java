package dev.transfusion.api;

/**
 * What one optimizer step measured.
 *
 * @param step         the step just taken, from 1
 * @param totalSteps   steps planned
 * @param lmLoss       next-token cross-entropy (mean over text targets)
 * @param ddpmLoss     noise-prediction MSE (mean per span, then over spans), summed over the continuous modalities
 * @param totalLoss    lmLoss + sum over modalities of lambda_m * ddpmLoss_m
 * @param gradNorm     global gradient L2 norm before clipping
 * @param learningRate the rate used for this step
 * @param tokens       positions processed in this step
 * @param millis       wall time of this step
 * @param ddpmLosses   each continuous modality's noise-prediction MSE, by modality name ("image", "audio", ...)
 */
public record TrainingStep(long step, long totalSteps, double lmLoss, double ddpmLoss, double totalLoss,
                           double gradNorm, double learningRate, long tokens, double millis,
                           java.util.Map<String, Double> ddpmLosses) {

    public TrainingStep {
        ddpmLosses = java.util.Map.copyOf(ddpmLosses);
    }

    /** A step of a model with one continuous modality, images. */
    public TrainingStep(long step, long totalSteps, double lmLoss, double ddpmLoss, double totalLoss, double gradNorm,
                        double learningRate, long tokens, double millis) {
        this(step, totalSteps, lmLoss, ddpmLoss, totalLoss, gradNorm, learningRate, tokens, millis,
                java.util.Map.of(ImagePart.MODALITY, ddpmLoss));
    }
}
