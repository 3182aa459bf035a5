package dev.transfusion.samples.cli;

import dev.transfusion.api.DiffusionSampler;
import dev.transfusion.api.GenerationOptions;
import picocli.CommandLine.Option;

/** The image-sampling flags of the commands that draw images (a picocli mixin; see {@link SamplingOptions}). */
public final class DiffusionSampling {
    @Option(names = "--steps", paramLabel = "N", description = "Denoising steps per image (default: ${DEFAULT-VALUE}).")
    int steps = GenerationOptions.DEFAULTS.diffusionSteps();

    @Option(names = "--sampler", paramLabel = "NAME", description = "ddpm or ddim (default: ${DEFAULT-VALUE}).")
    DiffusionSampler sampler = GenerationOptions.DEFAULTS.sampler();

    @Option(names = "--guidance", paramLabel = "S", description = "Classifier-free guidance scale (default: ${DEFAULT-VALUE}).")
    double guidance = GenerationOptions.DEFAULTS.guidanceScale();
}
