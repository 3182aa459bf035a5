package dev.transfusion.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.spi.PatchGeometry;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One continuous modality of a model, as plain data: its latent grid, how the grid is cut into patches, which
 * patch coder carries them in and out of the transformer, the tokens that open and close its spans, and the
 * weight of its diffusion loss. {@code config.json} lists one per modality ({@code "modalities"}); a version-1
 * configuration without the list has one, {@code image}, made from its single latent and patch fields.
 *
 * @param name           the modality ("image", "audio", ...), as its plugin names it
 * @param pluginVersion  the plugin's version when the model was made, or null where unknown (version 1)
 * @param latent         [C, H, W]; H and W are 0 where a version-1 configuration does not say (model.json does)
 * @param patch          [ph, pw]
 * @param patchCoder     "linear" or "unet" (square patches only)
 * @param beginToken     id of the token that opens a span
 * @param endToken       id of the token that closes it
 * @param lossWeight     lambda_m in L = L_LM + sum_m lambda_m L_DDPM,m
 * @param latentRange    [min, max] the codec's latents span, to which samplers clip their estimate of the clean
 *                       latent at every step; null for no clipping (the reference's behaviour)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModalityConfig(
        @JsonProperty("name") String name,
        @JsonProperty("plugin_version") @Nullable String pluginVersion,
        @JsonProperty("latent") int[] latent,
        @JsonProperty("patch") int[] patch,
        @JsonProperty("patch_coder") String patchCoder,
        @JsonProperty("begin_token") int beginToken,
        @JsonProperty("end_token") int endToken,
        @JsonProperty("loss_weight") double lossWeight,
        @JsonProperty("latent_range") double @Nullable [] latentRange) {

    /** What a modality name may look like: it becomes a parameter-name prefix and a directory name. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public ModalityConfig {
        String where = "modality '" + name + "'";
        check(name != null && NAME.matcher(name).matches(), "modalities.name", "lower case letters, digits, '-' "
                + "or '_', starting with a letter, at most 32", name);
        check(latent != null && latent.length == 3 && latent[0] > 0 && latent[1] >= 0 && latent[2] >= 0,
                where + " latent", "[C, H, W] with C > 0 and H, W >= 0", latent == null ? null : java.util.Arrays.toString(latent));
        check(patch != null && patch.length == 2, where + " patch", "[ph, pw]", patch == null ? null : java.util.Arrays.toString(patch));
        latent = latent.clone();
        patch = patch.clone();
        new PatchGeometry(patch[0], patch[1]);   // its own range check
        if (patchCoder == null) {
            patchCoder = PatchCoderType.LINEAR.configName();
        }
        check(PatchCoderType.isName(patchCoder), where + " patch_coder", "\"linear\" or \"unet\"", patchCoder);
        check(PatchCoderType.of(patchCoder) != PatchCoderType.UNET || patch[0] == patch[1], where + " patch",
                "square for the U-Net patch coder", java.util.Arrays.toString(patch));
        check(latent[1] % patch[0] == 0 && latent[2] % patch[1] == 0, where + " latent",
                "divisible into " + patch[0] + "x" + patch[1] + " patches", java.util.Arrays.toString(latent));
        check(beginToken >= 0 && endToken >= 0 && beginToken != endToken, where + " begin_token/end_token",
                "two distinct ids >= 0", beginToken + "/" + endToken);
        check(Double.isFinite(lossWeight) && lossWeight >= 0, where + " loss_weight", ">= 0", lossWeight);
        check(latentRange == null || latentRange.length == 2 && Double.isFinite(latentRange[0])
                && Double.isFinite(latentRange[1]) && latentRange[0] < latentRange[1], where + " latent_range",
                "[min, max] with min < max, or absent", latentRange == null ? null : java.util.Arrays.toString(latentRange));
        latentRange = latentRange == null ? null : latentRange.clone();
        long values = (long) latent[0] * patch[0] * patch[1];
        check(values <= 1 << 16, where + " patch", "at most 65536 values per patch (C*ph*pw)", values);
    }

    private static void check(boolean ok, String field, String expected, @Nullable Object got) {
        if (!ok) {
            throw new InvalidInputException("config field '" + field + "' must be " + expected + ", got " + got);
        }
    }

    /** The modality a version-1 configuration describes: the image of its single latent and patch fields. */
    static ModalityConfig imageOfVersion1(int channels, int patch, String coder, int boi, int eoi, double lambda) {
        return new ModalityConfig(ImagePart.MODALITY, null, new int[] {channels, 0, 0}, new int[] {patch, patch}, coder,
                boi, eoi, lambda, null);
    }

    /** Latent channels C. */
    @JsonIgnore
    public int channels() {
        return latent[0];
    }

    /** Latent rows H (0: not recorded in a version-1 configuration). */
    @JsonIgnore
    public int height() {
        return latent[1];
    }

    /** Latent columns W. */
    @JsonIgnore
    public int width() {
        return latent[2];
    }

    /** Whether the latent size is known (needed to generate). */
    @JsonIgnore
    public boolean hasLatentSize() {
        return latent[1] > 0 && latent[2] > 0;
    }

    /** How the grid is cut into patches. */
    @JsonIgnore
    public PatchGeometry geometry() {
        return new PatchGeometry(patch[0], patch[1]);
    }

    /** Values per patch, C * ph * pw. */
    @JsonIgnore
    public int patchDim() {
        return latent[0] * patch[0] * patch[1];
    }

    /** Patches (positions) of one span: (H/ph)(W/pw). */
    @JsonIgnore
    public int patches() {
        if (!hasLatentSize()) {
            throw new InvalidInputException("modality '" + name + "' has no recorded latent size");
        }
        return (latent[1] / patch[0]) * (latent[2] / patch[1]);
    }

    /** The patch coder's type. */
    @JsonIgnore
    public PatchCoderType coder() {
        return PatchCoderType.of(patchCoder);
    }

    /**
     * The prefix of this modality's parameter and placeholder names: none for {@code image}, whose names are the
     * reference's ({@code patch_in.weight}), {@code NAME.} for every other ({@code audio.patch_in.weight}).
     */
    @JsonIgnore
    public String prefix() {
        return name.equals(ImagePart.MODALITY) ? "" : name + ".";
    }

    /** A copy with a latent size H x W. */
    public ModalityConfig withLatentSize(int h, int w) {
        return new ModalityConfig(name, pluginVersion, new int[] {latent[0], h, w}, patch, patchCoder, beginToken,
                endToken, lossWeight, latentRange);
    }

    /** A copy with another patch coder. */
    public ModalityConfig withPatchCoder(String coder) {
        return new ModalityConfig(name, pluginVersion, latent, patch, coder, beginToken, endToken, lossWeight,
                latentRange);
    }

    @Override
    public int[] latent() {
        return latent.clone();
    }

    @Override
    public int[] patch() {
        return patch.clone();
    }

    @Override
    public double @Nullable [] latentRange() {
        return latentRange == null ? null : latentRange.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModalityConfig m && m.name.equals(name) && Objects.equals(m.pluginVersion, pluginVersion)
                && java.util.Arrays.equals(m.latent, latent) && java.util.Arrays.equals(m.patch, patch)
                && m.patchCoder.equals(patchCoder) && m.beginToken == beginToken && m.endToken == endToken
                && Double.compare(m.lossWeight, lossWeight) == 0 && java.util.Arrays.equals(m.latentRange, latentRange);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, pluginVersion, java.util.Arrays.hashCode(latent), java.util.Arrays.hashCode(patch),
                patchCoder, beginToken, endToken, lossWeight, java.util.Arrays.hashCode(latentRange));
    }

    @Override
    public String toString() {
        return name + "[latent " + java.util.Arrays.toString(latent) + ", patch " + patch[0] + "x" + patch[1] + ", "
                + patchCoder + ", tokens " + beginToken + "/" + endToken + ", weight " + lossWeight + "]";
    }
}
