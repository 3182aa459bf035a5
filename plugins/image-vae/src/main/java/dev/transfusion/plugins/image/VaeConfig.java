package dev.transfusion.plugins.image;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.transfusion.api.CheckpointException;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.spi.PatchGeometry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The VAE's architecture and how its latents are scaled, saved as the codec's {@code config.json}.
 *
 * <p>Encoder: a 3x3 stem at full resolution, then one stride-2 3x3 conv per halving, one more 3x3 conv at
 * the latent resolution, and two 3x3 heads for the posterior mean and log-variance. Decoder: the mirror,
 * with nearest-neighbour 2x upsampling before each 3x3 conv. {@code widths[i]} is the channel count at
 * resolution {@code imageSize / 2^i}; the last width also serves every coarser level.
 *
 * @param imageSize      square input side in pixels (divisible by {@code downsample})
 * @param downsample     4 or 8: image side / latent side
 * @param latentChannels C, the latent channels (4 by default, 8 as an option)
 * @param widths         channels per resolution level, finest first
 * @param activation     {@code silu} or {@code leaky_relu}
 * @param loss           reconstruction loss, {@code l1} or {@code mse}
 * @param klWeight       weight of the KL term (per latent value, against the per-pixel loss)
 * @param edgeWeight     extra weight of the reconstruction loss on outlines (see {@link EdgeWeights}); 0 for a
 *                       plain mean
 * @param patchSize      patch side the transformer cuts the latent grid into
 * @param latentScale    multiplies the posterior mean to give unit-variance latents; measured after training
 * @param imageChannels  1 for grey images, 3 for RGB; config.json files written before it existed are RGB
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VaeConfig(@JsonProperty("image_size") int imageSize, @JsonProperty("downsample") int downsample,
                        @JsonProperty("latent_channels") int latentChannels, @JsonProperty("widths") int[] widths,
                        @JsonProperty("activation") String activation, @JsonProperty("loss") String loss,
                        @JsonProperty("kl_weight") double klWeight, @JsonProperty("edge_weight") double edgeWeight,
                        @JsonProperty("patch_size") int patchSize,
                        @JsonProperty("latent_scale") double latentScale,
                        @JsonProperty("image_channels") int imageChannels) {
    /** The value of {@code codec} in config.json that marks a VAE. */
    public static final String CODEC = "vae";

    public VaeConfig {
        if (imageChannels == 0) {
            imageChannels = 3;   // absent from a config.json written before grey codecs: those are RGB
        }
        if (imageChannels != 1 && imageChannels != 3) {
            throw new InvalidInputException("VAE image channels must be 1 (grey) or 3 (RGB), got " + imageChannels);
        }
        if (downsample != 4 && downsample != 8) {
            throw new InvalidInputException("VAE downsample must be 4 or 8, got " + downsample);
        }
        if (imageSize <= 0 || imageSize % downsample != 0) {
            throw new InvalidInputException("VAE image size " + imageSize + " must be a positive multiple of the "
                    + "downsample factor " + downsample);
        }
        if (latentChannels <= 0) {
            throw new InvalidInputException("VAE latent channels must be positive, got " + latentChannels);
        }
        if (widths.length == 0 || Arrays.stream(widths).anyMatch(w -> w <= 0)) {
            throw new InvalidInputException("VAE widths must be positive, got " + Arrays.toString(widths));
        }
        if (!activation.equals("silu") && !activation.equals("leaky_relu")) {
            throw new InvalidInputException("VAE activation must be silu or leaky_relu, got " + activation);
        }
        if (!loss.equals("l1") && !loss.equals("mse")) {
            throw new InvalidInputException("VAE loss must be l1 or mse, got " + loss);
        }
        if (!(klWeight >= 0)) {
            throw new InvalidInputException("VAE kl weight must be >= 0, got " + klWeight);
        }
        if (!(edgeWeight >= 0) || Double.isInfinite(edgeWeight)) {
            throw new InvalidInputException("VAE edge weight must be >= 0, got " + edgeWeight);
        }
        if (!(latentScale > 0) || Double.isInfinite(latentScale)) {
            throw new InvalidInputException("VAE latent scale must be positive and finite, got " + latentScale);
        }
        new PatchGeometry(patchSize);
        if ((imageSize / downsample) % patchSize != 0) {
            throw new InvalidInputException("VAE latent side " + imageSize / downsample
                    + " is not divisible by the patch size " + patchSize);
        }
        widths = widths.clone();
    }

    /** An RGB VAE: the configuration every codec had before grey ones. */
    public VaeConfig(int imageSize, int downsample, int latentChannels, int[] widths, String activation, String loss,
                     double klWeight, double edgeWeight, int patchSize, double latentScale) {
        this(imageSize, downsample, latentChannels, widths, activation, loss, klWeight, edgeWeight, patchSize,
                latentScale, 3);
    }

    /**
     * The outline weight of the shapes recipe. 12 rather than 4: on anti-aliased drawings with sub-pixel jitter by
     * a second renderer of the spec, a VAE trained 3,000 steps on varied rasterizations kept all four attributes of
     * 99.1% at 12, 97.4% at 4 and 98.8% at 24 (issue 18; the lost ones are small squares whose faint corners fade).
     */
    public static final double SHAPES_EDGE_WEIGHT = 12;

    /** The default for shapes-v1: 32x32x3 -> 8x8x4, widths 16/32, SiLU, L1, KL 1e-5, edge weight 12, patch 2. */
    public static VaeConfig shapesDefault() {
        return new VaeConfig(32, 4, 4, new int[] {16, 32}, "silu", "l1", 1e-5, SHAPES_EDGE_WEIGHT, 2, 1.0);
    }

    /** The config.json text. */
    public String toJson() {
        try {
            return CodecDirectory.JSON.writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a VaeConfig always serialises", e);
        }
    }

    /**
     * Parses config.json text.
     *
     * @param file where the text came from, for messages
     * @throws CheckpointException naming the file when it is not a valid VAE configuration
     */
    public static VaeConfig fromJson(String text, Path file) {
        try {
            JsonNode node = CodecDirectory.JSON.readTree(text);
            if (!CODEC.equals(node.path("codec").asText())) {
                throw new CheckpointException(file + ": codec is '" + node.path("codec").asText() + "', expected '"
                        + CODEC + "'");
            }
            return CodecDirectory.JSON.treeToValue(node, VaeConfig.class);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(file + " is not a valid VAE configuration: " + e.getMessage(), e);
        }
    }

    /** A copy with another image size. */
    public VaeConfig withImageSize(int size) {
        return new VaeConfig(size, downsample, latentChannels, widths, activation, loss, klWeight, edgeWeight, patchSize,
                latentScale, imageChannels);
    }

    /** A copy with the measured latent scale. */
    public VaeConfig withLatentScale(double scale) {
        return new VaeConfig(imageSize, downsample, latentChannels, widths, activation, loss, klWeight, edgeWeight, patchSize,
                scale, imageChannels);
    }

    /** A copy for images of {@code channels} channels (1 grey, 3 RGB). */
    public VaeConfig withImageChannels(int channels) {
        return new VaeConfig(imageSize, downsample, latentChannels, widths, activation, loss, klWeight, edgeWeight, patchSize,
                latentScale, channels);
    }

    /** The channel widths, a copy. */
    @Override
    public int[] widths() {
        return widths.clone();
    }

    /** Channels at halving level {@code i} (0 = full resolution). */
    public int width(int level) {
        return widths[Math.min(level, widths.length - 1)];
    }

    /** How many stride-2 halvings the encoder makes: 2 for 4x, 3 for 8x. */
    @JsonIgnore
    public int levels() {
        return Integer.numberOfTrailingZeros(downsample);
    }

    /** The latent grid's side. */
    @JsonIgnore
    public int latentSize() {
        return imageSize / downsample;
    }

    /** The config.json marker of this codec kind. */
    @JsonProperty("codec")
    public String codec() {
        return CODEC;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VaeConfig c && c.imageSize == imageSize && c.downsample == downsample
                && c.latentChannels == latentChannels && Arrays.equals(c.widths, widths)
                && c.activation.equals(activation) && c.loss.equals(loss) && c.klWeight == klWeight
                && c.edgeWeight == edgeWeight
                && c.patchSize == patchSize && c.latentScale == latentScale && c.imageChannels == imageChannels;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths) * 31 + imageSize * 17 + downsample * 7 + latentChannels;
    }

    @Override
    public String toString() {
        return "VaeConfig[" + imageSize + "px /" + downsample + " -> " + latentChannels + "ch, widths "
                + Arrays.toString(widths) + ", " + activation + ", " + loss + ", kl " + klWeight + ", edge " + edgeWeight + ", patch "
                + patchSize + ", scale " + latentScale + (imageChannels == 1 ? ", grey" : "") + "]";
    }
}
