package dev.transfusion.samples.cli;

import dev.transfusion.api.DiffusionSampler;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The generation flags that several commands share (a picocli mixin); ranges are checked by the SDK, and the
 * defaults are the SDK's ({@link GenerationOptions#DEFAULTS}), so the command line, the API and the server agree.
 */
public final class SamplingOptions {
    @Option(names = "--max-tokens", paramLabel = "N", description = "The most new text tokens (default: ${DEFAULT-VALUE}).")
    int maxTokens = GenerationOptions.DEFAULTS.maxTokens();

    @Option(names = "--temperature", paramLabel = "T", description = "0 is greedy (default: ${DEFAULT-VALUE}).")
    double temperature = GenerationOptions.DEFAULTS.temperature();

    @Option(names = "--top-k", paramLabel = "K", description = "Sample from the K most likely tokens; 0 for all.")
    int topK = GenerationOptions.DEFAULTS.topK();

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP = GenerationOptions.DEFAULTS.topP();

    @Option(names = "--seed", paramLabel = "N", description = "Random seed, for reproducible output.")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when this text is produced (repeatable).")
    List<String> stop = new ArrayList<>();

    @Option(names = "--steps", paramLabel = "N", description = "Denoising steps per image (default: ${DEFAULT-VALUE}).")
    int steps = GenerationOptions.DEFAULTS.diffusionSteps();

    @Option(names = "--sampler", paramLabel = "NAME", description = "ddpm or ddim (default: ${DEFAULT-VALUE}).")
    DiffusionSampler sampler = GenerationOptions.DEFAULTS.sampler();

    @Option(names = "--guidance", paramLabel = "S", description = "Classifier-free guidance scale (default: ${DEFAULT-VALUE}).")
    double guidance = GenerationOptions.DEFAULTS.guidanceScale();

    /** The SDK's field names and the flags that set them, for errors in the user's words. */
    private static final Map<String, String> FLAGS = Map.of("maxTokens", "--max-tokens", "temperature", "--temperature",
            "topK", "--top-k", "topP", "--top-p", "stop", "--stop", "diffusionSteps", "--steps",
            "guidanceScale", "--guidance");

    /** The SDK options these flags describe; an out-of-range value is refused naming its flag. */
    public GenerationOptions toOptions() {
        try {
            return GenerationOptions.builder().maxTokens(maxTokens).temperature(temperature).topK(topK).topP(topP)
                    .seed(seed).stop(stop).diffusionSteps(steps).sampler(sampler).guidanceScale(guidance).build();
        } catch (InvalidInputException e) {
            String message = String.valueOf(e.getMessage());
            for (var flag : FLAGS.entrySet()) {
                String field = "GenerationOptions." + flag.getKey() + " ";
                if (message.startsWith(field)) {
                    throw new InvalidInputException(flag.getValue() + " " + message.substring(field.length()));
                }
            }
            throw e;
        }
    }
}
