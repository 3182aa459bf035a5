package dev.transfusion.samples;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.Mode;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.Trainer;
import dev.transfusion.api.TrainingOptions;
import dev.transfusion.api.TrainingStep;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.plugins.image.PixelCodec;
import java.io.PrintStream;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The main job's flow through the public API, in Java (the Kotlin twin is {@code ShapesSample.kt}): train a
 * Transfusion model on the built-in shapes data with a listener printing progress, load it, draw an image
 * from a caption while a listener follows the denoising, then caption the drawing and answer a question
 * about it.
 *
 * <p>Run it with {@code java -cp 'samples/target/classes:samples/target/lib/*' dev.transfusion.samples.ShapesSample
 * OUT [STEPS] [CODEC]}. CODEC is an image codec directory from {@code ./transfusion train-vae}; without one the
 * sample uses the image plugin's pixel codec (raw 4x4 pixel patches of 16x16 images), which needs no training
 * but learns slower. The build runs it with 4 steps, enough to exercise every call but not to learn; what
 * draws and describes shapes well is the demo's recipe (3,500 steps of 32 rows with a trained VAE).
 */
public final class ShapesSample {

    /** The caption the sample draws. */
    static final String PROMPT = "a large red circle in the center";

    private ShapesSample() {
    }

    /** {@code OUT [STEPS] [CODEC]}. */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: ShapesSample OUT [STEPS] [CODEC]");
            System.exit(2);
        }
        run(System.out, Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 300,
                args.length > 2 ? Path.of(args[2]) : null);
    }

    /** Trains into {@code out} for {@code steps} steps, then generates, captions and answers; prints on {@code log}. */
    public static void run(PrintStream log, Path out, int steps, @Nullable Path codec) {
        Path codecDir = codec;
        if (codecDir == null) {
            codecDir = out.resolve("pixels");
            new PixelCodec(16, 4).save(codecDir);
        }
        TrainingOptions options = TrainingOptions.builder("shapes", out)
                .preset("shapes")
                .steps(steps)
                .batchSize(8)
                .learningRate(1.5e-3)
                .warmupSteps(Math.min(100, steps / 10))
                .checkpointEvery(Math.max(1, steps / 2))
                .codecDir(codecDir)
                .build();
        int every = Math.max(1, steps / 10);
        try (Trainer trainer = Transfusion.trainer(options)) {
            TrainingStep last = trainer.train(step -> {
                if (step.step() % every == 0 || step.step() == step.totalSteps()) {
                    log.printf("train %d/%d loss %.3f (lm %.3f, ddpm %.3f)%n", step.step(), step.totalSteps(),
                            step.totalLoss(), step.lmLoss(), step.ddpmLoss());
                }
            }, new Cancellation());
            log.println("trained: " + (last == null ? "nothing left to do" : last.step() + " steps"));
        }

        try (TransfusionModel model = Transfusion.load(out.resolve("model"))) {
            log.println("model: " + model.info().parameters() + " parameters, modalities "
                    + model.info().modalities().keySet());
            GenerationOptions draw = GenerationOptions.builder().mode(Mode.IMAGE).diffusionSteps(10).seed(7L)
                    .maxTokens(1).build();
            GenerationListener progress = new GenerationListener() {
                @Override
                public void onDiffusionStep(DiffusionStep step) {
                    log.printf("denoise %d/%d (t = %d)%n", step.step(), step.totalSteps(), step.timestep());
                }
            };
            GenerationResult drawn = model.generate(Document.text(PROMPT), draw, progress, new Cancellation());
            RgbImage image = drawn.images().get(0);
            log.println("image: " + image.width() + "x" + image.height() + " for '" + PROMPT + "'");

            GenerationOptions words = GenerationOptions.builder().maxTokens(16).build();   // greedy
            log.println("caption: " + model.caption(image, words));
            log.println("answer: " + model.answer(image, "what colour is it?", words));
        }
    }
}
