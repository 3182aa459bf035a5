package dev.transfusion.plugins.image;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.TrainingStep;
import dev.transfusion.api.spi.CodecTraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The image plugin's {@code trainCodec}: the VAE trained on the given images through the SPI, so that
 * {@code train-codec --modality image} (and any host that knows no plugin class) makes it the way
 * {@code train-vae} does. Settings by name, each checked: {@code size}, {@code latent_channels}, {@code patch},
 * {@code downsample}, {@code edge_weight}, {@code batch}, {@code lr}; channels follow the images (grey: 1).
 */
final class VaeCodecTraining {
    static final Set<String> SETTINGS = Set.of("size", "latent_channels", "patch", "downsample", "edge_weight", "batch",
            "lr");
    /** The shapes recipe's step count (train-vae's default). */
    static final int DEFAULT_STEPS = 4500;

    private VaeCodecTraining() {
    }

    static void train(Iterable<Part> samples, Path out, CodecTraining o, TrainingListener listener) {
        Set<String> unknown = new TreeSet<>(o.settings().keySet());
        unknown.removeAll(SETTINGS);
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("the image codec takes the settings " + new TreeSet<>(SETTINGS)
                    + "; unknown: " + unknown);
        }
        List<RgbImage> images = new ArrayList<>();
        for (Part p : samples) {
            if (p instanceof ImagePart img) {
                images.add(img.image());
            }
        }
        if (images.isEmpty()) {
            throw new InvalidInputException("the image codec trains on images; none were given");
        }
        Map<String, String> s = o.settings();
        int size = intSetting(s, "size", 32);
        int channels = images.stream().allMatch(RgbImage::isGrey) ? 1 : 3;
        VaeConfig d = VaeConfig.shapesDefault();
        VaeConfig config = new VaeConfig(size, intSetting(s, "downsample", d.downsample()),
                intSetting(s, "latent_channels", d.latentChannels()), d.widths(), d.activation(), d.loss(), d.klWeight(),
                doubleSetting(s, "edge_weight", d.edgeWeight()), intSetting(s, "patch", d.patchSize()), 1.0, channels);
        int steps = o.steps() > 0 ? o.steps() : DEFAULT_STEPS;
        VaeTrainingOptions def = VaeTrainingOptions.defaults(steps);
        double lr = doubleSetting(s, "lr", def.learningRate());
        VaeTrainingOptions options = new VaeTrainingOptions(steps, def.decoderSteps(), intSetting(s, "batch",
                def.batchSize()), lr, lr / 3, def.warmup(), def.decoderNoise(), def.scaleImages(), o.seed(),
                def.checkpointEvery());
        VaeTrainer.start(out, config, options, TrainingImages.shuffled(images, size, o.seed())).run(r ->
                listener.onStep(new TrainingStep(r.step(), r.totalSteps(), 0, r.reconstruction(), r.loss(), 0,
                        r.learningRate(), 0, r.millis())));
    }

    private static int intSetting(Map<String, String> s, String name, int fallback) {
        String v = s.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("image codec setting " + name + " must be a whole number, got '" + v + "'");
        }
    }

    private static double doubleSetting(Map<String, String> s, String name, double fallback) {
        String v = s.get(name);
        try {
            return v == null ? fallback : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("image codec setting " + name + " must be a number, got '" + v + "'");
        }
    }
}
