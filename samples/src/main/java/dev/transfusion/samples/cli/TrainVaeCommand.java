package dev.transfusion.samples.cli;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TrainingExample;
import dev.transfusion.core.CpuBackend;
import dev.transfusion.core.plugin.DataSetRegistry;
import dev.transfusion.core.plugin.DataSetSpec;
import dev.transfusion.datasets.shapes.ShapeSample;
import dev.transfusion.datasets.shapes.ShapesDataSetProvider;
import dev.transfusion.datasets.shapes.ShapesDataset;
import dev.transfusion.datasets.shapes.ShapesJudge;
import dev.transfusion.datasets.shapes.VariedRasterization;
import dev.transfusion.plugins.image.ImageFiles;
import dev.transfusion.plugins.image.ReconstructionGrid;
import dev.transfusion.plugins.image.ReconstructionQuality;
import dev.transfusion.plugins.image.TrainingImages;
import dev.transfusion.plugins.image.VaeCodec;
import dev.transfusion.plugins.image.VaeConfig;
import dev.transfusion.plugins.image.VaeTrainer;
import dev.transfusion.plugins.image.VaeTrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code transfusion train-vae}: trains the image VAE on shapes-v1 or a folder of images and writes a codec
 * directory (loadable by the image plugin), then a reconstruction sheet {@code reconstructions.png} in it
 * (held-out originals above their reconstructions) and the measured quality.
 */
@Command(
        name = "train-vae",
        description = {
            "Train the image VAE (pixels <-> latent grids) and write it as a codec directory.",
            "Then writes DIR/reconstructions.png (originals above reconstructions) and prints mean PSNR and, "
                    + "for shapes, the share of held-out images whose attributes the judge still reads."
        })
public final class TrainVaeCommand implements Callable<Integer> {
    /**
     * About 6 minutes on one quiet core. 4,500 rather than 3,000 since the images vary (issue 18): an independent
     * renderer's anti-aliased, sub-pixel-jittered drawings kept all four attributes in 99.5% (3,000 steps: 99.1%).
     */
    static final int DEFAULT_STEPS = 4500;

    @Option(names = "--data", required = true, paramLabel = "shapes|NAME[:ARG]|DIR",
            description = "'shapes' for the built-in shapes-v1 training split, another registered data set's images "
                    + "(fashion-mnist, idx:IMAGES,...), or a folder of .png/.jpg images.")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The codec directory to write.")
    Path out;

    @Option(names = "--steps", paramLabel = "N",
            description = "Optimizer steps in all (default: " + DEFAULT_STEPS + "; with --resume, the saved run's).")
    @Nullable Integer steps;

    @Option(names = "--decoder-steps", paramLabel = "N",
            description = "Of those, steps that fine-tune the decoder alone on noisy latents at the end "
                    + "(default: half of --steps).")
    @Nullable Integer decoderSteps;

    @Option(names = "--size", paramLabel = "PX", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int size = 32;

    @Option(names = "--batch", paramLabel = "N", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch = 32;

    @Option(names = "--lr", paramLabel = "RATE", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 3e-3;

    @Option(names = "--widths", split = ",", paramLabel = "W",
            description = "Channels per resolution level, finest first (default: 16,32).")
    int[] widths = {16, 32};

    @Option(names = "--edge-weight", paramLabel = "W",
            description = "Extra loss weight on outlines, so small shapes keep their corners (default: ${DEFAULT-VALUE}).")
    double edgeWeight = VaeConfig.SHAPES_EDGE_WEIGHT;

    @Option(names = "--downsample", paramLabel = "4|8", description = "Image side / latent side (default: ${DEFAULT-VALUE}).")
    int downsample = 4;

    @Option(names = "--latent-channels", paramLabel = "C", description = "Latent channels (default: ${DEFAULT-VALUE}).")
    int latentChannels = 4;

    @Option(names = "--patch", paramLabel = "P", description = "Patch side for the transformer (default: ${DEFAULT-VALUE}).")
    int patch = 2;

    @Option(names = "--channels", paramLabel = "1|3",
            description = "Image channels: 1 for grey images, 3 for RGB (default: 1 when the folder's images are "
                    + "all grey, else 3).")
    @Nullable Integer channels;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of weights, noise and shuffling (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--resume", description = "Continue the run saved in --out (with --steps, extend it).")
    boolean resume;

    @Option(names = "--threads", paramLabel = "N",
            description = "Native compute threads (default: ${DEFAULT-VALUE}; on a shared 2-core machine two threads "
                    + "were several times slower than one).")
    int threads = 1;

    private final Terminal terminal;

    /** The command, writing through {@code terminal}. */
    public TrainVaeCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        boolean shapes = data.equals(ShapesDataSetProvider.NAME);
        // read the data first: a wrong folder fails at once, before any training
        TrainingImages images = shapes ? shapesTraining(size) : otherTraining();
        // before ND4J's first use: the natives load once per process
        boolean oneDnn = CpuBackend.preferOneDnn();
        CpuBackend.limitThreads(threads);
        VaeTrainer trainer;
        if (resume) {
            trainer = VaeTrainer.resume(out, images, steps != null ? steps : 0);
        } else {
            if (Files.exists(out.resolve("manifest.json"))) {
                throw new InvalidInputException(out + " already holds a codec: add --resume to continue it, or "
                        + "choose another --out");
            }
            int total = steps != null ? steps : DEFAULT_STEPS;
            VaeTrainingOptions d = VaeTrainingOptions.defaults(total);
            VaeConfig config = new VaeConfig(size, downsample, latentChannels, widths, "silu", "l1", 1e-5, edgeWeight,
                    patch, 1.0, channels != null ? channels : shapes ? 3 : channelsOf(images));
            VaeTrainingOptions o = new VaeTrainingOptions(total, decoderSteps != null ? decoderSteps : d.decoderSteps(),
                    batch, learningRate, learningRate / 3, d.warmup(), d.decoderNoise(), d.scaleImages(), seed,
                    d.checkpointEvery());
            trainer = VaeTrainer.start(out, config, o, images);
        }
        long total = trainer.options().steps(), first = trainer.step();
        terminal.err().println("training " + (shapes ? "on shapes-v1" : "on " + data) + ": step " + first + " of "
                + total + " (the last " + trainer.options().decoderSteps() + " fine-tune the decoder; "
                + (oneDnn ? "oneDNN" : "default") + " natives, " + threads + " thread" + (threads == 1 ? ")" : "s)"));
        // counts the steps of this run, so that the time left is estimated from them
        ProgressBar bar = new ProgressBar(terminal, first == 0 ? "train-vae" : "train-vae (resumed at " + first + ")",
                total - first).showingFirstUpdate();
        trainer.run(r -> bar.update(r.step() - first, String.format(Locale.ROOT, "%s loss %.4f, %d ms/step,",
                r.phase().name().toLowerCase(Locale.ROOT), r.reconstruction(), r.millis())));
        report(shapes, images);
        return 0;
    }

    /**
     * shapes-v1's training split at side {@code size}, drawn at the next whole scale and resized; drawn in varied
     * ways (anti-aliased or not, sub-pixel jitter), so the VAE keeps the shapes of any renderer of the spec.
     */
    static TrainingImages shapesTraining(int size) {
        ShapesDataset train = ShapesDataset.atLeast(ShapesDataset.Split.TRAIN, size);
        return TrainingImages.drawn(i -> VariedRasterization.image(train, i), size);
    }

    /** A registered data set's images (its training examples'), or a folder's. */
    private TrainingImages otherTraining() {
        var spec = Files.isDirectory(Path.of(data)) ? java.util.Optional.<DataSetSpec>empty()
                : DataSetRegistry.fromClassPath().findSpec(data);
        if (spec.isEmpty()) {
            return TrainingImages.folder(Path.of(data), size, seed);
        }
        List<RgbImage> found = new ArrayList<>();
        for (TrainingExample e : spec.get().examples(seed)) {
            if (e instanceof TrainingExample.Pair p && p.part() instanceof ImagePart img) {
                found.add(img.image());
            } else if (e instanceof TrainingExample.Doc d) {
                d.document().parts().stream().filter(part -> part instanceof ImagePart)
                        .forEach(part -> found.add(((ImagePart) part).image()));
            }   // a question repeats an image that is also captioned
        }
        if (found.isEmpty()) {
            throw new InvalidInputException("data set '" + data + "' holds no images to train the image codec on");
        }
        return TrainingImages.shuffled(found, size, seed);
    }

    /** 1 when the first images (up to 64) are all grey, else 3. */
    private static int channelsOf(TrainingImages images) {
        for (int i = 0; i < 64; i++) {
            if (!images.image(i).isGrey()) {
                return 3;
            }
        }
        return 1;
    }

    /** Writes the reconstruction sheet and prints the quality on held-out images. */
    private void report(boolean shapes, TrainingImages images) {
        VaeCodec codec = VaeCodec.load(out);
        List<RgbImage> originals = new ArrayList<>();
        ReconstructionQuality q;
        if (shapes && size % ShapesDataset.BASE_SIZE == 0) {
            // drawn at the trained size, so the judge reads them at the same scale
            List<ShapeSample> test = new ShapesDataset(ShapesDataset.TEST_SEED, size / ShapesDataset.BASE_SIZE)
                    .samples(0, 1000);
            test.forEach(s -> originals.add(s.image()));
            q = ReconstructionQuality.judged(codec, originals,
                    (i, rec) -> ShapesJudge.judgeImage(rec, test.get(i).attributes()).all());
        } else if (shapes) {
            ShapesDataset.of(ShapesDataset.Split.TEST).samples(0, 1000)
                    .forEach(s -> originals.add(ImageFiles.fit(s.image(), size)));
            q = ReconstructionQuality.of(originals, codec.reconstruct(originals));
        } else if (Files.isDirectory(Path.of(data))) {
            for (Path f : ImageFiles.list(Path.of(data))) {
                if (originals.size() < 64) {
                    originals.add(ImageFiles.read(f, size));
                }
            }
            q = ReconstructionQuality.of(originals, codec.reconstruct(originals));
        } else {
            for (int i = 0; i < 64; i++) {   // a data set's: the first of its shuffled training images
                originals.add(images.image(i));
            }
            q = ReconstructionQuality.of(originals, codec.reconstruct(originals));
        }
        List<RgbImage> shown = originals.subList(0, Math.min(16, originals.size()));
        Path grid = out.resolve("reconstructions.png");
        ReconstructionGrid.write(grid, shown, codec.reconstruct(shown), 8);
        terminal.out().printf(Locale.ROOT, "codec: %s (%s, latent %dx%dx%d, scale %.4f)%n", out,
                codec.config().imageChannels() == 1 ? "grey" : "RGB", codec.config().latentSize(),
                codec.config().latentSize(), codec.latentChannels(), codec.config().latentScale());
        terminal.out().printf(Locale.ROOT, "mean PSNR %.2f dB over %d %s images%n", q.meanPsnr(), q.images(),
                shapes ? "held-out shapes-v1 test" : "training");
        if (!Double.isNaN(q.attributesKept())) {
            terminal.out().printf(Locale.ROOT, "attributes kept (all four, judged): %.1f%%%n", 100 * q.attributesKept());
        }
        terminal.out().println("reconstructions: " + grid);
        terminal.out().flush();
    }
}
