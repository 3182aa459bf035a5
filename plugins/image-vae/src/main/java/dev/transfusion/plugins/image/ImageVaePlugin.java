package dev.transfusion.plugins.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.TransfusionException;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.LatentCodec;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The image modality: spans open with {@code <boi>} and close with {@code <eoi>}; the codec is a trained
 * {@link VaeCodec} or the pass-through {@link PixelCodec}, whichever the directory's config.json names.
 */
public final class ImageVaePlugin implements ContinuousModalityPlugin {
    /** The plugin's version, recorded in models that use it. */
    public static final String VERSION = "0.1.0";

    @Override
    public String modality() {
        return ImagePart.MODALITY;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String description() {
        return "images <-> latent grids through a convolutional VAE trained by the SDK (or raw pixels); reads PNG and JPEG";
    }

    @Override
    public String beginToken() {
        return "<boi>";
    }

    @Override
    public String endToken() {
        return "<eoi>";
    }

    /**
     * Trains the VAE on {@code samples}' images into {@code outputDir} (train-vae's recipe; {@link VaeCodecTraining}
     * lists the settings), for hosts that make codecs through the SPI ({@code train-codec --modality image}).
     */
    @Override
    public void trainCodec(Iterable<dev.transfusion.api.Part> samples, Path outputDir,
                           dev.transfusion.api.spi.CodecTraining options, dev.transfusion.api.TrainingListener listener) {
        VaeCodecTraining.train(samples, outputDir, options, listener);
    }

    /** Loads the codec the directory describes ({@code "codec": "vae"} or {@code "pixels"} in config.json). */
    @Override
    public LatentCodec loadCodec(Path directory) {
        try {
            String config = CodecDirectory.verify(directory);
            JsonNode node;
            try {
                node = CodecDirectory.JSON.readTree(config);
            } catch (IOException e) {
                throw new PluginException(directory.resolve(CodecDirectory.CONFIG) + " is not valid JSON: "
                        + e.getMessage(), e);
            }
            String codec = node.path("codec").asText();
            return switch (codec) {
                case VaeConfig.CODEC -> VaeCodec.load(directory);
                case PixelCodec.CODEC -> PixelCodec.load(directory);
                default -> throw new PluginException(directory.resolve(CodecDirectory.CONFIG) + ": codec is '" + codec
                        + "', expected 'vae' or 'pixels'");
            };
        } catch (PluginException e) {
            throw e;
        } catch (TransfusionException e) {
            throw new PluginException("cannot load the image codec: " + e.getMessage(), e);
        }
    }
}
