package dev.transfusion.api;

import org.jspecify.annotations.Nullable;

/**
 * Progress of one image's denoising.
 *
 * @param imageIndex which image of the answer, from 0
 * @param step       steps done, 1..totalSteps
 * @param totalSteps steps planned
 * @param timestep   the diffusion time t just denoised, 0..999
 * @param preview    the current estimate of the clean image, when previews were asked for; else null
 */
public record DiffusionStep(int imageIndex, int step, int totalSteps, int timestep, @Nullable RgbImage preview) {
}
