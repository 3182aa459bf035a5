package dev.transfusion.api;

import org.jspecify.annotations.Nullable;

/**
 * Progress of one span's denoising (an image, or a part of another continuous modality).
 *
 * @param imageIndex which continuous span of the answer, from 0 (images and other modalities counted together)
 * @param step       steps done, 1..totalSteps
 * @param totalSteps steps planned
 * @param timestep   the diffusion time t just denoised, 0..999
 * @param preview    the current estimate of the clean image, when previews were asked for; else null
 * @param modality   the modality being drawn ("image", "audio", ...)
 */
public record DiffusionStep(int imageIndex, int step, int totalSteps, int timestep, @Nullable RgbImage preview,
                            String modality) {

    public DiffusionStep {
        java.util.Objects.requireNonNull(modality, "modality");
    }

    /** A step of an image. */
    public DiffusionStep(int imageIndex, int step, int totalSteps, int timestep, @Nullable RgbImage preview) {
        this(imageIndex, step, totalSteps, timestep, preview, ImagePart.MODALITY);
    }
}
