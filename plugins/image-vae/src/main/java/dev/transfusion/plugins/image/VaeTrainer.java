package dev.transfusion.plugins.image;

import dev.transfusion.api.CheckpointException;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TrainingDivergedException;
import dev.transfusion.core.train.AdamW;
import dev.transfusion.core.train.LearningRateSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a VAE into a codec directory with our AdamW (see {@link VaeTrainingOptions} for the two phases).
 * The directory doubles as the checkpoint: it is rewritten atomically every few hundred steps with the
 * optimizer moments and training-state.json, so {@link #resume} continues exactly where it stopped, and
 * after the last step it is a finished codec that {@link VaeCodec#load} reads.
 */
public final class VaeTrainer {
    /** beta2 0.99 rather than the transformer's 0.95: conv nets train steadier with it; no weight decay. */
    static final AdamW.Settings ADAM = new AdamW.Settings(0.9, 0.99, 1e-8, 0.0, 1.0);

    /** Which part of the VAE a step trains. */
    public enum Phase { AUTOENCODER, DECODER }

    /**
     * One step's numbers.
     *
     * @param step           1-based step just done
     * @param totalSteps     steps planned
     * @param phase          what it trained
     * @param loss           total loss
     * @param reconstruction reconstruction loss (L1 or MSE per value, pixels in [-1, 1])
     * @param kl             mean KL per latent value
     * @param learningRate   the rate used
     * @param millis         wall time of the step
     */
    public record StepReport(long step, long totalSteps, Phase phase, double loss, double reconstruction, double kl,
                             double learningRate, long millis) {
    }

    /** Hears every step. */
    @FunctionalInterface
    public interface Listener {
        /** Called after each step. */
        void onStep(StepReport report);
    }

    private final Path out;
    private final TrainingImages images;
    private final VaeTrainingOptions options;
    private VaeConfig config;
    private Map<String, float[]> weights;
    private Map<String, float[]> firstMoments;
    private Map<String, float[]> secondMoments;
    private long step;
    private boolean scaleMeasured;

    private VaeTrainer(Path out, TrainingImages images, VaeConfig config, VaeTrainingOptions options,
                       Map<String, float[]> weights, Map<String, float[]> m, Map<String, float[]> v,
                       long step, boolean scaleMeasured) {
        this.out = out;
        this.images = images;
        this.config = config;
        this.options = options;
        this.weights = weights;
        this.firstMoments = m;
        this.secondMoments = v;
        this.step = step;
        this.scaleMeasured = scaleMeasured;
    }

    /** A fresh run into {@code out} (which must not hold a codec yet: use {@link #resume}). */
    public static VaeTrainer start(Path out, VaeConfig config, VaeTrainingOptions options, TrainingImages images) {
        if (Files.exists(out.resolve(CodecDirectory.MANIFEST))) {
            throw new InvalidInputException(out + " already holds a codec; resume it or choose another directory");
        }
        return new VaeTrainer(out, images, config.withLatentScale(1.0), options,
                VaeNetwork.initialize(config, options.seed()), Map.of(), Map.of(), 0, false);
    }

    /**
     * Continues the run saved in {@code out}.
     *
     * @param steps a new total step count (keeping the decoder share of the saved run), or 0 to keep the saved
     *              one; it cannot move the end of a first phase that is already over
     */
    public static VaeTrainer resume(Path out, TrainingImages images, int steps) {
        Path configFile = out.resolve(CodecDirectory.CONFIG);
        var contents = CodecDirectory.read(out, text -> VaeNetwork.parameterShapes(VaeConfig.fromJson(text, configFile)));
        if (contents.trainingState() == null || contents.firstMoments().isEmpty()) {
            throw new CheckpointException(out + " is a finished codec without training state ("
                    + out.resolve(CodecDirectory.STATE) + " or optimizer/ is missing); it cannot be resumed");
        }
        VaeTrainingState state;
        try {
            state = CodecDirectory.JSON.readValue(contents.trainingState(), VaeTrainingState.class);
        } catch (IOException e) {
            throw new CheckpointException(out.resolve(CodecDirectory.STATE) + " is invalid: " + e.getMessage(), e);
        }
        VaeTrainingOptions o = state.options();
        if (steps > 0 && steps != o.steps()) {
            int decoder = (int) Math.round((double) o.decoderSteps() * steps / o.steps());
            VaeTrainingOptions changed = o.withSteps(steps, decoder);
            if (state.scaleMeasured() && changed.autoencoderSteps() != o.autoencoderSteps()) {
                changed = o.withSteps(steps, steps - o.autoencoderSteps());
            }
            if (changed.autoencoderSteps() < Math.min(state.step(), o.autoencoderSteps()) || steps < state.step()) {
                throw new InvalidInputException("cannot resume " + out + " with " + steps + " steps: it has done "
                        + state.step() + " of " + o.steps());
            }
            o = changed;
        }
        return new VaeTrainer(out, images, VaeConfig.fromJson(contents.config(), configFile), o, contents.weights(),
                contents.firstMoments(), contents.secondMoments(), state.step(), state.scaleMeasured());
    }

    /** Steps done so far. */
    public long step() {
        return step;
    }

    /** The options this run follows. */
    public VaeTrainingOptions options() {
        return options;
    }

    /** Trains to the last step, writing checkpoints on the way; returns the final configuration. */
    public VaeConfig run(Listener listener) {
        VaeTrainingGraph graph = new VaeTrainingGraph(config, weights);
        Map<String, INDArray> params = graph.parameters();
        Map<String, INDArray> decoderParams = new LinkedHashMap<>();
        params.forEach((name, p) -> {
            if (name.startsWith(VaeNetwork.DECODER_PREFIX)) {
                decoderParams.put(name, p);
            }
        });
        AdamW adam = new AdamW(ADAM);
        if (!firstMoments.isEmpty()) {
            adam.restore(step, firstMoments, secondMoments);
        }
        int ae = options.autoencoderSteps();
        LearningRateSchedule first = new LearningRateSchedule(options.learningRate(), options.warmup(), ae, 0.1);
        LearningRateSchedule second = new LearningRateSchedule(options.decoderRate(), 0, options.decoderSteps(), 0.1);
        double lastLoss = Double.NaN;
        while (step < options.steps()) {
            long s = step + 1, t0 = System.nanoTime();
            Phase phase = s <= ae ? Phase.AUTOENCODER : Phase.DECODER;
            List<RgbImage> batchImages = batch(s);
            INDArray pixels = ImageTensors.batch(batchImages, config.imageSize(), config.imageChannels()); // [B, I, S, S]
            INDArray pixelWeights = EdgeWeights.of(batchImages, config.edgeWeight());                // [B, 1, S, S]
            INDArray eps = noise(s);                                                       // [B, C, h, w]
            Map<String, INDArray> trained = phase == Phase.AUTOENCODER ? params : decoderParams;
            VaeTrainingGraph.Result r = phase == Phase.AUTOENCODER
                    ? graph.step(pixels, pixelWeights, eps, 1, 0, List.copyOf(params.keySet()))
                    : graph.step(pixels, pixelWeights, eps, 0, options.decoderNoise() / config.latentScale(),
                    List.copyOf(decoderParams.keySet()));
            double norm = AdamW.globalNorm(r.gradients());
            if (!Double.isFinite(r.loss()) || !Double.isFinite(norm)) {
                throw new TrainingDivergedException("VAE training diverged at step " + s + ": loss " + r.loss()
                        + ", gradient norm " + norm + " (try a lower learning rate)");
            }
            double lr = phase == Phase.AUTOENCODER ? first.rate(s) : second.rate(s - ae);
            adam.update(trained, r.gradients(), norm, lr);
            step = s;
            lastLoss = r.loss();
            if (s == ae && !scaleMeasured) {
                // the encoder is final now: the decoder fine-tune and every later user see latents at this scale
                config = config.withLatentScale(measureScale(graph.weights()));
                scaleMeasured = true;
            }
            listener.onStep(new StepReport(s, options.steps(), phase, r.loss(), r.reconstruction(), r.kl(), lr,
                    (System.nanoTime() - t0) / 1_000_000));
            if (s % options.checkpointEvery() == 0 || s == options.steps() || s == ae) {
                weights = graph.weights();
                firstMoments = copy(adam.firstMoments());
                secondMoments = copy(adam.secondMoments());
                save(lastLoss);
            }
        }
        return config;
    }

    /** 1 / the standard deviation of the posterior means of {@code scaleImages} training images. */
    private double measureScale(Map<String, float[]> current) {
        VaeCodec codec = new VaeCodec(config, current);
        List<RgbImage> sample = new ArrayList<>();
        for (int i = 0; i < options.scaleImages(); i++) {
            sample.add(images.image(i));
        }
        double sum = 0, sq = 0;
        long n = 0;
        for (int from = 0; from < sample.size(); from += 128) {
            List<RgbImage> chunk = sample.subList(from, Math.min(sample.size(), from + 128));
            for (float v : codec.rawMeans(ImageTensors.batch(chunk, config.imageSize(), config.imageChannels()))
                    .dup('c').data().asFloat()) {
                sum += v;
                sq += (double) v * v;
                n++;
            }
        }
        double mean = sum / n, std = Math.sqrt(Math.max(1e-12, sq / n - mean * mean));
        return 1.0 / std;
    }

    private List<RgbImage> batch(long s) {
        List<RgbImage> b = new ArrayList<>(options.batchSize());
        for (int j = 0; j < options.batchSize(); j++) {
            b.add(images.image((s - 1) * options.batchSize() + j));
        }
        return b;
    }

    private INDArray noise(long s) {
        int l = config.latentSize(), c = config.latentChannels(), n = options.batchSize() * c * l * l;
        Random random = new Random(options.seed() * 0x9E3779B97F4A7C15L + s);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Nd4j.create(v, new long[] {options.batchSize(), c, l, l}, 'c');
    }

    private void save(double lastLoss) {
        String state;
        try {
            state = CodecDirectory.JSON.writeValueAsString(new VaeTrainingState(step, scaleMeasured, lastLoss, options));
        } catch (IOException e) {
            throw new IllegalStateException("training state always serialises", e);
        }
        CodecDirectory.write(out, new CodecDirectory.Contents(config.toJson(), weights, firstMoments, secondMoments,
                state), VaeNetwork.parameterShapes(config));
    }

    private static Map<String, float[]> copy(Map<String, float[]> live) {
        Map<String, float[]> outMap = new LinkedHashMap<>();
        live.forEach((name, a) -> outMap.put(name, a.clone()));
        return outMap;
    }
}
