package dev.transfusion.samples.ablate;

import dev.transfusion.api.DiffusionSampler;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One arm of the paper's ablations: a model trained with one configuration change from the baseline, or the
 * baseline's model sampled another way. Everything else (data, steps, seed, batch, codec) is the same.
 *
 * @param name      its folder and table name, e.g. {@code causal-spans}
 * @param change    what differs from the baseline, in words
 * @param config    the configuration fields it trains with (a JSON object), or null for a sampling-only arm
 *                  that evaluates the baseline's model
 * @param sampler   the sampler it draws with
 * @param steps     denoising steps per generated part
 * @param guidance  the classifier-free guidance scale
 */
public record AblationArm(String name, String change, @Nullable String config, DiffusionSampler sampler, int steps,
                          double guidance) {

    /** The baseline's name: the recipe every other arm changes one thing of. */
    public static final String BASELINE = "baseline";

    /** Whether this arm trains a model of its own (else it samples the baseline's). */
    public boolean trains() {
        return config != null;
    }

    /**
     * The arms, the baseline first: the recipe (bidirectional attention inside a span, linear patch coder,
     * image-first documents noised only to t &lt; 500, DDIM 25 steps at guidance 3), three trained changes and
     * four sampling changes.
     */
    public static List<AblationArm> all() {
        DiffusionSampler ddim = DiffusionSampler.DDIM;
        return List.of(
                new AblationArm(BASELINE, "the recipe", "{}", ddim, 25, 3),
                new AblationArm("causal-spans", "causal attention inside each image",
                        "{\"span_attention\": \"causal\"}", ddim, 25, 3),
                new AblationArm("unet-coder", "U-Net patch encoder/decoder instead of linear",
                        "{\"patch_coder\": \"unet\"}", ddim, 25, 3),
                new AblationArm("no-noise-limit", "image-first documents noised over all t, not t < 500",
                        "{\"image_first_t_max\": 1000}", ddim, 25, 3),
                new AblationArm("guidance-1", "the baseline drawn without guidance", null, ddim, 25, 1),
                new AblationArm("guidance-5", "the baseline drawn at guidance 5", null, ddim, 25, 5),
                new AblationArm("ddim-50", "the baseline drawn with DDIM, 50 steps", null, ddim, 50, 3),
                new AblationArm("ddpm-250", "the baseline drawn with DDPM, 250 steps", null, DiffusionSampler.DDPM,
                        250, 3));
    }

    /** The arms called {@code names} (all when empty), with the baseline whenever a sampling arm needs its model. */
    public static List<AblationArm> named(List<String> names) {
        if (names.isEmpty()) {
            return all();
        }
        List<String> known = all().stream().map(AblationArm::name).toList();
        for (String n : names) {
            if (!known.contains(n)) {
                throw new dev.transfusion.api.InvalidInputException("--arms: unknown arm '" + n + "'; known: " + known);
            }
        }
        return all().stream().filter(a -> names.contains(a.name())).toList();
    }
}
