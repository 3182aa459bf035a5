package dev.transfusion.server;

import com.google.protobuf.UInt64Value;
import dev.transfusion.api.DiffusionSampler;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.server.v1.Diffusion;
import dev.transfusion.server.v1.Mode;
import dev.transfusion.server.v1.Sampling;
import java.util.Locale;

/**
 * {@link Sampling}, {@link Diffusion} and {@link Mode} to {@link GenerationOptions} and back. Zero values mean
 * the SDK's default. Ranges are checked here under the wire names ({@code sampling.max_new_tokens}, not the
 * SDK's {@code maxTokens}) so that a client in any language reads which field it got wrong.
 */
public final class SamplingMessages {
    private SamplingMessages() {
    }

    /**
     * The options the messages describe.
     *
     * @throws InvalidInputException naming the field and its range
     */
    public static GenerationOptions toOptions(Sampling s, Diffusion d, Mode mode) {
        GenerationOptions.Builder b = GenerationOptions.builder();
        check(Float.isFinite(s.getTemperature()) && s.getTemperature() >= 0 && s.getTemperature() <= 100,
                "sampling.temperature", "0..100 (0 is greedy)", s.getTemperature());
        b.temperature(s.getTemperature());
        check(s.getTopK() >= 0, "sampling.top_k", "0 or more (0 keeps every token)", s.getTopK());
        b.topK(s.getTopK());
        if (s.getTopP() != 0) {
            check(Float.isFinite(s.getTopP()) && s.getTopP() > 0 && s.getTopP() <= 1, "sampling.top_p",
                    "in (0, 1] (0 means 1)", s.getTopP());
            b.topP(s.getTopP());
        }
        if (s.getMaxNewTokens() != 0) {
            check(s.getMaxNewTokens() >= 1 && s.getMaxNewTokens() <= 65536, "sampling.max_new_tokens",
                    "1..65536 (0 means the default)", s.getMaxNewTokens());
            b.maxTokens(s.getMaxNewTokens());
        }
        if (s.hasSeedValue()) {
            b.seed(s.getSeedValue().getValue());
        } else if (s.getSeed() != 0) {
            b.seed(s.getSeed());
        }
        check(s.getStopCount() <= GenerationOptions.MAX_STOPS, "sampling.stop",
                "at most " + GenerationOptions.MAX_STOPS + " strings", s.getStopCount() + " strings");
        for (int i = 0; i < s.getStopCount(); i++) {
            check(!s.getStop(i).isEmpty(), "sampling.stop[" + i + "]", "non-empty", "\"\"");
            check(s.getStop(i).length() <= GenerationOptions.MAX_STOP_LENGTH, "sampling.stop[" + i + "]",
                    "at most " + GenerationOptions.MAX_STOP_LENGTH + " characters", s.getStop(i).length() + " characters");
        }
        b.stop(s.getStopList());
        if (d.getSteps() != 0) {
            check(d.getSteps() >= 1 && d.getSteps() <= 1000, "diffusion.steps", "1..1000 (0 means the default)",
                    d.getSteps());
            b.diffusionSteps(d.getSteps());
        }
        if (d.getGuidanceScale() != 0) {
            check(Float.isFinite(d.getGuidanceScale()) && d.getGuidanceScale() > 0 && d.getGuidanceScale() <= 100,
                    "diffusion.guidance_scale", "in (0, 100] (0 means the default)", d.getGuidanceScale());
            b.guidanceScale(d.getGuidanceScale());
        }
        check(d.getPreviewEvery() >= 0 && d.getPreviewEvery() <= 1000, "diffusion.preview_every", "0..1000 (0: none)",
                d.getPreviewEvery());
        b.previewEvery(d.getPreviewEvery());
        b.sampler(sampler(d.getSampler()));
        b.mode(mode(mode));
        return b.build();   // the SDK checks again; its InvalidInputException is mapped the same way
    }

    /** The messages that reproduce {@code o} (a guidance scale of 0 cannot be sent: 0 means the default). */
    public static Sampling sampling(GenerationOptions o) {
        Sampling.Builder s = Sampling.newBuilder()
                .setTemperature((float) o.temperature())
                .setTopK(o.topK())
                .setTopP((float) o.topP())
                .setMaxNewTokens(o.maxTokens())
                .addAllStop(o.stop());
        if (o.seed() != null) {
            if (o.seed() == 0) {
                s.setSeedValue(UInt64Value.of(0));   // a plain 0 would mean "draw one"
            } else {
                s.setSeed(o.seed());
            }
        }
        return s.build();
    }

    /** The diffusion settings of {@code o}. */
    public static Diffusion diffusion(GenerationOptions o) {
        return Diffusion.newBuilder()
                .setSteps(o.diffusionSteps())
                .setGuidanceScale((float) o.guidanceScale())
                .setSampler(o.sampler().name().toLowerCase(Locale.ROOT))
                .setPreviewEvery(o.previewEvery())
                .build();
    }

    /** The wire mode of {@code o}. */
    public static Mode mode(GenerationOptions o) {
        return switch (o.mode()) {
            case AUTO -> Mode.MODE_AUTO;
            case TEXT -> Mode.MODE_TEXT;
            case IMAGE -> Mode.MODE_IMAGE;
        };
    }

    private static dev.transfusion.api.Mode mode(Mode m) {
        return switch (m) {
            case MODE_AUTO -> dev.transfusion.api.Mode.AUTO;
            case MODE_TEXT -> dev.transfusion.api.Mode.TEXT;
            case MODE_IMAGE -> dev.transfusion.api.Mode.IMAGE;
            case UNRECOGNIZED -> throw new InvalidInputException("mode must be MODE_AUTO, MODE_TEXT or MODE_IMAGE");
        };
    }

    private static DiffusionSampler sampler(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "" -> GenerationOptions.DEFAULTS.sampler();
            case "ddpm" -> DiffusionSampler.DDPM;
            case "ddim" -> DiffusionSampler.DDIM;
            default -> throw new InvalidInputException("diffusion.sampler must be \"ddpm\" or \"ddim\", got \""
                    + name + "\"");
        };
    }

    private static void check(boolean ok, String field, String expected, Object got) {
        if (!ok) {
            throw new InvalidInputException(field + " must be " + expected + ", got " + got);
        }
    }
}
