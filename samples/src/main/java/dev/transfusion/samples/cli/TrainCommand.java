package dev.transfusion.samples.cli;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Trainer;
import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.TrainingOptions;
import dev.transfusion.api.TrainingStep;
import dev.transfusion.api.Transfusion;
import dev.transfusion.core.ConfigOverrides;
import dev.transfusion.core.TransfusionConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code transfusion train}: joint text and image training, with checkpoints and resume. */
@Command(name = "train", description = {"Train a Transfusion model: next-token loss on text and diffusion loss on "
        + "image latents, in one transformer.",
    "Writes OUT/checkpoint (every --checkpoint-every steps, atomically) and, at the end, OUT/model."})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "NAME[:ARG]|PATH[,...]",
            description = "A registered data set (shapes, fashion-mnist[:DIR], idx:IMAGES[,LABELS[,NAMES.txt]], "
                    + "npy:...), a folder of images with metadata.jsonl or manifest.tsv, a .jsonl file of documents, "
                    + "or .txt files; several, separated by commas, are mixed (a NAME:ARG entry last: it takes the rest).")
    String data;

    @Option(names = "--vae", paramLabel = "DIR", description = "The image codec trained by train-vae (needed for images).")
    Path vae;

    @Option(names = "--codec", paramLabel = "NAME=DIR", description = "The codec of another continuous modality in the "
            + "data, written by train-codec --modality NAME (repeatable), e.g. audio=out/audio-codec.")
    java.util.Map<String, Path> codecs = new java.util.LinkedHashMap<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--preset", paramLabel = "NAME", completionCandidates = PresetNames.class,
            description = "Model size preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String preset = "shapes";

    @Option(names = "--config", paramLabel = "JSON", description = "Configuration fields that replace the preset's, "
            + "by the model config's names, e.g. {\"patch_coder\": \"unet\"} or {\"span_attention\": \"causal\"}.")
    String config;

    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    int steps = 3000;

    @Option(names = "--batch", paramLabel = "ROWS", description = "Packed rows per step (default: ${DEFAULT-VALUE}).")
    int batch = 32;

    @Option(names = "--lr", paramLabel = "RATE", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 1.5e-3;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup = 100;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery = 250;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--replicas", paramLabel = "N", description = "Data-parallel replicas, each on a thread of its own "
            + "over a share of every batch's rows (default: ${DEFAULT-VALUE}).")
    int replicas = 1;

    @Option(names = "--resume", description = "Continue from OUT/checkpoint.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace the run already in OUT (without it, or --resume, "
            + "an OUT holding a run is refused).")
    boolean overwrite;

    @Option(names = "--vocab-size", paramLabel = "N",
            description = "Text vocabulary to train (default: the preset's, or fewer when the texts support fewer).")
    Integer vocabSize;

    @Option(names = "--tokenizer", paramLabel = "PATH",
            description = "Use this tokenizer instead of training one: a model's tokenizer folder or a tokenizer.json.")
    Path tokenizer;

    @Option(names = "--init-from", paramLabel = "DIR",
            description = "Fine-tune: start from this model's weights and tokenizer (same preset and image codec).")
    Path initFrom;

    private final Terminal terminal;

    /** The command on {@code terminal}. */
    public TrainCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (config != null) {   // checked before any data is read, and named by its flag
            ConfigOverrides.apply(TransfusionConfig.preset(preset), config, "--config");
        }
        TrainingOptions.Builder b = TrainingOptions.builder(data, out).preset(preset).steps(steps).batchSize(batch)
                .learningRate(lr).warmupSteps(warmup).checkpointEvery(checkpointEvery).seed(seed).resume(resume)
                .overwrite(overwrite).codecDir(vae).replicas(replicas).vocabSize(vocabSize).tokenizerDir(tokenizer)
                .initFrom(initFrom).configOverrides(config);
        codecs.forEach(b::codecDir);
        TrainingOptions o = b.build();
        ProgressBar bar = new ProgressBar(terminal, "train", steps).showingFirstUpdate();
        Cancellation cancel = new Cancellation();
        // Ctrl-C stops at the next step; the last checkpoint stays valid either way
        Thread hook = new Thread(cancel::cancel);
        Runtime.getRuntime().addShutdownHook(hook);
        double[] tokens = {0, 0};
        try (Trainer trainer = Transfusion.trainer(o)) {
            TrainingStep last = trainer.train(new TrainingListener() {
                @Override
                public void onStep(TrainingStep s) {
                    tokens[0] += s.tokens();
                    tokens[1] += s.millis();
                    bar.update(s.step(), String.format("loss %.3f (lm %.3f, %s) |g| %.2f, %.0f tok/s,",
                            s.totalLoss(), s.lmLoss(), ddpm(s), s.gradNorm(), tokens[0] / (tokens[1] / 1000)));
                }

                @Override
                public void onNote(String note) {
                    terminal.err().println("note: " + note);
                }
            }, cancel);
            if (last == null) {
                terminal.err().println("nothing to do: " + out + " already holds " + steps + " steps");
            } else {
                terminal.err().printf("step %d: loss %.4f; model in %s%n", last.step(), last.totalLoss(), out.resolve("model"));
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook has done its job
            }
        }
        return 0;
    }

    /** "ddpm 0.0123", or one figure per modality: "image 0.0123, audio 0.0456". */
    static String ddpm(TrainingStep s) {
        if (s.ddpmLosses().size() <= 1) {
            return String.format("ddpm %.4f", s.ddpmLoss());
        }
        StringBuilder out = new StringBuilder();
        new java.util.TreeMap<>(s.ddpmLosses()).forEach((name, v) ->
                out.append(out.length() == 0 ? "" : ", ").append(String.format("%s %.4f", name, v)));
        return out.toString();
    }
}
