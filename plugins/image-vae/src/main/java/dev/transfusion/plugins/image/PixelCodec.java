package dev.transfusion.plugins.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transfusion.api.CheckpointException;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.PatchGeometry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The pass-through codec: the latent is the image itself, 3 channels (or 1 for grey images) scaled to [-1, 1],
 * with no VAE. For tests, and for users who want the transformer to see pixel patches. Images of another size
 * are resized and centre-cropped to {@code imageSize}; a grey codec reads colour images by their luma.
 *
 * @param imageSize side of the (square) images and latents
 * @param patchSize patch side for the transformer
 * @param channels  1 (grey) or 3 (RGB)
 */
public record PixelCodec(int imageSize, int patchSize, int channels)
        implements LatentCodec {
    /** The value of {@code codec} in config.json that marks this codec. */
    public static final String CODEC = "pixels";

    public PixelCodec {
        if (imageSize <= 0) {
            throw new InvalidInputException("pixel codec image size must be positive, got " + imageSize);
        }
        if (channels != 1 && channels != 3) {
            throw new InvalidInputException("pixel codec channels must be 1 (grey) or 3 (RGB), got " + channels);
        }
        new PatchGeometry(patchSize);
        if (imageSize % patchSize != 0) {
            throw new InvalidInputException("pixel codec image size " + imageSize + " is not divisible by the "
                    + "patch size " + patchSize);
        }
    }

    /** An RGB pixel codec. */
    public PixelCodec(int imageSize, int patchSize) {
        this(imageSize, patchSize, 3);
    }

    /** Writes a codec directory that loads as this codec. */
    public void save(Path dir) {
        String config;
        try {
            config = CodecDirectory.JSON.writeValueAsString(Map.of("codec", CODEC, "image_size", imageSize,
                    "patch_size", patchSize, "channels", channels));
        } catch (IOException e) {
            throw new IllegalStateException("a map of numbers always serialises", e);
        }
        CodecDirectory.write(dir, new CodecDirectory.Contents(config, Map.of(), Map.of(), Map.of(), null), Map.of());
    }

    /** Reads a verified pixel codec directory. */
    public static PixelCodec load(Path dir) {
        String text = CodecDirectory.verify(dir);
        Path file = dir.resolve(CodecDirectory.CONFIG);
        try {
            JsonNode node = CodecDirectory.JSON.readTree(text);
            if (!CODEC.equals(node.path("codec").asText()) || !node.path("image_size").isInt()
                    || !node.path("patch_size").isInt() || node.has("channels") && !node.get("channels").isInt()) {
                throw new CheckpointException(file + ": expected {\"codec\": \"pixels\", \"image_size\": int, "
                        + "\"patch_size\": int, \"channels\": 1 or 3 (optional, 3)}");
            }
            // written before grey codecs, a config has no channels: those are RGB
            return new PixelCodec(node.get("image_size").asInt(), node.get("patch_size").asInt(),
                    node.path("channels").asInt(3));
        } catch (IOException | InvalidInputException e) {
            throw new CheckpointException(file + " is not a valid pixel codec configuration: " + e.getMessage(), e);
        }
    }

    @Override
    public Latent encode(Part part) {
        if (!(part instanceof ImagePart image)) {
            throw new InvalidInputException("the image codec encodes image parts, got a " + part.modality() + " part");
        }
        return new Latent(channels, imageSize, imageSize,
                ImageTensors.toChw(ImageFiles.fit(image.image(), imageSize), channels));
    }

    @Override
    public Part decode(Latent latent) {
        if (latent.channels() != channels || latent.height() != imageSize || latent.width() != imageSize) {
            throw new InvalidInputException("the pixel codec decodes latents [" + channels + ", " + imageSize + ", "
                    + imageSize + "], got " + latent);
        }
        RgbImage img = ImageTensors.fromChw(latent.values(), 0, imageSize, imageSize, channels);
        return new ImagePart(img);
    }

    @Override
    public int latentChannels() {
        return channels;
    }

    @Override
    public PatchGeometry geometry() {
        return new PatchGeometry(patchSize);
    }
}
