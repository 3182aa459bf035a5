package dev.transfusion.samples.cli;

import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.InvalidInputException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The SDK options from the generation flags a command declares: {@link TextSampling} (text commands),
 * {@link DiffusionSampling} (image commands) and {@link SeedOption}; each command lists only the flags it uses.
 * Ranges are checked by the SDK; an out-of-range value is refused naming its flag.
 */
final class SamplingOptions {
    private SamplingOptions() {
    }

    /** The SDK's field names and the flags that set them, for errors in the user's words. */
    private static final Map<String, String> FLAGS = Map.of("maxTokens", "--max-tokens", "temperature", "--temperature",
            "topK", "--top-k", "topP", "--top-p", "stop", "--stop", "diffusionSteps", "--steps",
            "guidanceScale", "--guidance");

    /** The options the given flags describe; a null group keeps the CLI's defaults for its fields. */
    static GenerationOptions of(@Nullable TextSampling text, @Nullable DiffusionSampling diffusion, SeedOption seed) {
        TextSampling t = text != null ? text : new TextSampling();
        DiffusionSampling d = diffusion != null ? diffusion : new DiffusionSampling();
        try {
            return GenerationOptions.builder().maxTokens(t.maxTokens).temperature(t.temperature).topK(t.topK)
                    .topP(t.topP).stop(t.stop).seed(seed.seed).diffusionSteps(d.steps).sampler(d.sampler)
                    .guidanceScale(d.guidance).build();
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
