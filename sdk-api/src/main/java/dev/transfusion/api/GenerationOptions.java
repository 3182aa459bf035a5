package dev.transfusion.api;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to generate: text sampling, diffusion sampling and the output mode. Build with {@link #builder()};
 * every setter checks its range and names the option in its error.
 *
 * @param maxTokens      the most new text tokens, 1..65536
 * @param temperature    0 means greedy; otherwise 0 &lt; t &le; 100
 * @param topK           0 means no limit; otherwise the k most likely tokens
 * @param topP           nucleus mass in (0, 1]; 1 means no limit
 * @param seed           the random seed, or null for a fresh one (the result reports the one used)
 * @param stop           strings that end generation when produced (not included in the output)
 * @param diffusionSteps denoising steps per image, 1..1000
 * @param guidanceScale  classifier-free guidance s in eps_u + s (eps_c - eps_u); 1 means no guidance, 0..100
 * @param sampler        DDPM or DDIM
 * @param mode           AUTO, TEXT or IMAGE
 * @param modality       the continuous modality {@link Mode#IMAGE} draws ("image", "audio", ...), or null for the
 *                       model's image modality (its only continuous one when it has no images)
 * @param previewEvery   0 for no previews; k for the current estimate of the clean image every k denoising steps
 *                       in {@link DiffusionStep#preview()} (one decode by the codec each: it costs time), 0..1000
 */
public record GenerationOptions(int maxTokens, double temperature, int topK, double topP, @Nullable Long seed,
                                List<String> stop, int diffusionSteps, double guidanceScale,
                                DiffusionSampler sampler, Mode mode, @Nullable String modality, int previewEvery) {

    /** Most stop strings: each is searched for in the text after every token. */
    public static final int MAX_STOPS = 16;
    /** Longest stop string, in characters. */
    public static final int MAX_STOP_LENGTH = 256;

    /**
     * The defaults, shared by the API, the gRPC service (a field left at 0 or empty) and the command line:
     * 256 tokens, greedy, DDIM with 25 steps, guidance 3, AUTO. On the demo model (README, Results) DDIM 25 drew
     * 0.98 of 200 held-out captions right in 0.6 minutes and 250 ancestral DDPM steps 0.995 in 3.1: the default
     * takes the five times faster sampler; ask for DDPM where the last points matter more than time.
     */
    public static final GenerationOptions DEFAULTS = builder().build();

    /** The options of prompt {@code i} of a batch ({@link TransfusionModel#generateAll}): a seed s becomes s + i. */
    public static GenerationOptions forPrompt(GenerationOptions o, int i) {
        return o.seed() == null || i == 0 ? o : o.toBuilder().seed(o.seed() + i).build();
    }

    public GenerationOptions {
        check(maxTokens >= 1 && maxTokens <= 65536, "maxTokens", "1..65536", maxTokens);
        check(Double.isFinite(temperature) && temperature >= 0 && temperature <= 100, "temperature", "0..100", temperature);
        check(topK >= 0, "topK", ">= 0", topK);
        check(Double.isFinite(topP) && topP > 0 && topP <= 1, "topP", "(0, 1]", topP);
        stop = List.copyOf(Objects.requireNonNull(stop, "stop"));
        check(stop.size() <= MAX_STOPS, "stop", "at most " + MAX_STOPS + " strings", stop.size() + " strings");
        for (String s : stop) {
            check(!s.isEmpty(), "stop", "non-empty strings", "\"\"");
            check(s.length() <= MAX_STOP_LENGTH, "stop", "strings of at most " + MAX_STOP_LENGTH + " characters",
                    "one of " + s.length());
        }
        check(diffusionSteps >= 1 && diffusionSteps <= 1000, "diffusionSteps", "1..1000", diffusionSteps);
        check(Double.isFinite(guidanceScale) && guidanceScale >= 0 && guidanceScale <= 100, "guidanceScale", "0..100", guidanceScale);
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(mode, "mode");
        check(modality == null || !modality.isBlank(), "modality", "a modality name or null", "\"" + modality + "\"");
        check(previewEvery >= 0 && previewEvery <= 1000, "previewEvery", "0..1000", previewEvery);
    }

    private static void check(boolean ok, String field, String expected, Object got) {
        if (!ok) {
            throw new InvalidInputException("GenerationOptions." + field + " must be " + expected + ", got " + got);
        }
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxTokens = maxTokens;
        b.temperature = temperature;
        b.topK = topK;
        b.topP = topP;
        b.seed = seed;
        b.stop = stop;
        b.diffusionSteps = diffusionSteps;
        b.guidanceScale = guidanceScale;
        b.sampler = sampler;
        b.mode = mode;
        b.modality = modality;
        b.previewEvery = previewEvery;
        return b;
    }

    /** Builds {@link GenerationOptions}; {@link #build()} checks every range. */
    public static final class Builder {
        private int maxTokens = 256;
        private double temperature = 0;
        private int topK = 0;
        private double topP = 1;
        private @Nullable Long seed;
        private List<String> stop = List.of();
        private int diffusionSteps = 25;
        private double guidanceScale = 3;
        private DiffusionSampler sampler = DiffusionSampler.DDIM;
        private Mode mode = Mode.AUTO;
        private @Nullable String modality;
        private int previewEvery;

        private Builder() {
        }

        /** The most new text tokens. */
        public Builder maxTokens(int v) {
            maxTokens = v;
            return this;
        }

        /** Sampling temperature; 0 is greedy. */
        public Builder temperature(double v) {
            temperature = v;
            return this;
        }

        /** Keep only the k most likely tokens; 0 keeps all. */
        public Builder topK(int v) {
            topK = v;
            return this;
        }

        /** Keep the smallest set of tokens whose probability reaches p. */
        public Builder topP(double v) {
            topP = v;
            return this;
        }

        /** A fixed seed for reproducible output; null draws one. */
        public Builder seed(@Nullable Long v) {
            seed = v;
            return this;
        }

        /** Strings that end generation. */
        public Builder stop(List<String> v) {
            stop = v;
            return this;
        }

        /** Denoising steps per image. */
        public Builder diffusionSteps(int v) {
            diffusionSteps = v;
            return this;
        }

        /** Classifier-free guidance scale. */
        public Builder guidanceScale(double v) {
            guidanceScale = v;
            return this;
        }

        /** The diffusion sampler. */
        public Builder sampler(DiffusionSampler v) {
            sampler = v;
            return this;
        }

        /** The output mode. */
        public Builder mode(Mode v) {
            mode = v;
            return this;
        }

        /** A preview of the clean image every {@code k} denoising steps; 0 for none. */
        public Builder previewEvery(int k) {
            previewEvery = k;
            return this;
        }

        /** The continuous modality {@link Mode#IMAGE} draws; null for the model's image modality. */
        public Builder modality(@Nullable String v) {
            modality = v;
            return this;
        }

        /** The checked options. */
        public GenerationOptions build() {
            return new GenerationOptions(maxTokens, temperature, topK, topP, seed, stop, diffusionSteps,
                    guidanceScale, sampler, mode, modality, previewEvery);
        }
    }
}
