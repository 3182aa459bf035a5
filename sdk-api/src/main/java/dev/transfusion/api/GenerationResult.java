package dev.transfusion.api;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The output of a generation: parts in the order they were produced, why it ended, and usage counts.
 *
 * @param parts        the generated text and images, in order
 * @param finishReason why generation ended
 * @param usage        counts and the seed used
 */
public record GenerationResult(List<Part> parts, FinishReason finishReason, Usage usage) {

    public GenerationResult {
        parts = List.copyOf(parts);
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(usage, "usage");
    }

    /** All generated text, concatenated. */
    public String text() {
        return parts.stream().filter(p -> p instanceof TextPart).map(p -> ((TextPart) p).text())
                .collect(Collectors.joining());
    }

    /** The generated parts of one modality ("text", "image", "audio", ...), in order. */
    public List<Part> parts(String modality) {
        return parts.stream().filter(p -> p.modality().equals(modality)).toList();
    }

    /** The generated images, in order. */
    public List<RgbImage> images() {
        return parts.stream().filter(p -> p instanceof ImagePart).map(p -> ((ImagePart) p).image()).toList();
    }
}
