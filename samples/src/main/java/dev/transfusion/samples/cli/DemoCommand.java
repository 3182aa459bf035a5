package dev.transfusion.samples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.TrainingExample;
import dev.transfusion.core.plugin.DataSetRegistry;
import dev.transfusion.core.runtime.TrainingCorpus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code transfusion demo}: the main job. From nothing to a model that draws shapes from captions,
 * captions them and answers questions about them: train-vae, train and eval on the built-in data,
 * each step skipped when its output already exists and resumed when it was interrupted. With
 * {@code --data shapes,tones} one model learns text, images and audio, each data set judged on its own.
 */
@Command(name = "demo", description = {"The main job: train the image VAE and a Transfusion model from scratch on the "
        + "built-in shapes data (skipped when OUT/model exists), then evaluate.",
    "Writes OUT/vae, OUT/model, OUT/metrics.json, OUT/samples.png and OUT/report.html."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out/demo");

    // The PyTorch calibration's recipe (docs/notes/shapes-calibration.md): 3500 steps of 64 documents,
    // about two to a row of 64 positions. 200 held-out samples, as scores swing a few points on fewer.
    @Option(names = "--steps", paramLabel = "N", description = "Model training steps (default: ${DEFAULT-VALUE}).")
    int steps = 3500;

    @Option(names = "--batch", paramLabel = "ROWS", description = "Packed rows of 64 positions per step (default: ${DEFAULT-VALUE}).")
    int batch = 32;

    @Option(names = "--replicas", paramLabel = "N", description = "Data-parallel replicas of the model's training, "
            + "each on a thread of its own (default: ${DEFAULT-VALUE}).")
    int replicas = 1;

    @Option(names = "--vae-steps", paramLabel = "N", description = "VAE training steps (default: the train-vae default).")
    Integer vaeSteps;

    @Option(names = "--n", paramLabel = "N", description = "Held-out evaluation samples (default: ${DEFAULT-VALUE}).")
    int n = 200;

    @Option(names = "--data", paramLabel = "NAME,...", split = ",", hideParamSyntax = true,
            description = "Built-in data sets to train one model on, e.g. shapes,tones (default: ${DEFAULT-VALUE}). "
                    + "Each modality gets its codec first, and each data set its own judge.")
    List<String> data = List.of("shapes");

    private final Terminal terminal;

    /** The command on {@code terminal}. */
    public DemoCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        long t0 = System.nanoTime(), startedMs = System.currentTimeMillis();
        Path vae = out.resolve("vae"), model = out.resolve("model");
        DataSetRegistry dataSets = DataSetRegistry.fromClassPath();
        Map<String, List<TrainingExample>> firsts = firstExamples(dataSets);   // an unknown name fails here
        List<String> modalities = TrainingCorpus.modalities(firsts.values().stream().flatMap(List::stream).toList());
        int stages = modalities.size() + 1 + data.size(), stage = 0;
        if (Files.exists(model.resolve("manifest.json"))) {
            terminal.err().println("demo: reusing the model in " + model + " (delete it to train again)");
            stage = modalities.size() + 1;
        } else {
            List<String> train = new ArrayList<>(List.of("train", "--data", String.join(",", data), "--out",
                    out.toString(), "--steps", Integer.toString(steps), "--batch", Integer.toString(batch),
                    "--replicas", Integer.toString(replicas)));
            for (String modality : modalities) {
                stage++;
                if (modality.equals(ImagePart.MODALITY)) {
                    if (!Files.exists(vae.resolve("manifest.json"))) {
                        terminal.err().println("demo: " + stage + "/" + stages + " training the image VAE");
                        // on the first data set that holds images (shapes, fashion-mnist, ...)
                        List<String> args = new ArrayList<>(List.of("train-vae", "--data", imagesFrom(firsts), "--out",
                                vae.toString()));
                        if (vaeSteps != null) {
                            args.addAll(List.of("--steps", vaeSteps.toString()));
                        }
                        run(args);
                    }
                    train.addAll(List.of("--vae", vae.toString()));
                } else {
                    Path codec = out.resolve("codec-" + modality);
                    if (!Files.exists(codec)) {
                        terminal.err().println("demo: " + stage + "/" + stages + " making the " + modality + " codec");
                        run(List.of("train-codec", "--modality", modality, "--out", codec.toString()));
                    }
                    train.addAll(List.of("--codec", modality + "=" + codec));
                }
            }
            terminal.err().println("demo: " + ++stage + "/" + stages + " training the Transfusion model on "
                    + String.join(" + ", data));
            if (Files.exists(out.resolve("checkpoint/manifest.json"))) {
                train.add("--resume");
            }
            run(train);
        }
        for (String name : data) {
            // one data set: its report where the demo always wrote it; several: one folder each
            Path where = data.size() == 1 ? out : out.resolve("eval-" + name);
            terminal.err().println("demo: " + ++stage + "/" + stages + " evaluating on " + n + " held-out samples of "
                    + name);
            run(List.of("eval", "--model", model.toString(), "--data", name, "--n", Integer.toString(n), "--out",
                    where.toString(), "--demo-started", Long.toString(startedMs)));
        }
        terminal.err().printf("demo: done in %.1f minutes; open %s%n", (System.nanoTime() - t0) / 6e10,
                data.size() == 1 ? out.resolve("report.html") : out.resolve("eval-" + data.get(0) + "/report.html"));
        return 0;
    }

    /**
     * Each data set's first example, which tells its continuous modality (a data set's list may draw its
     * examples as they are read, so one is all that is read here).
     */
    private Map<String, List<TrainingExample>> firstExamples(DataSetRegistry dataSets) {
        Map<String, List<TrainingExample>> out = new LinkedHashMap<>();
        for (String name : data) {
            List<TrainingExample> all = dataSets.get(name).trainingExamples(0);
            out.put(name, all.subList(0, Math.min(all.size(), 1)));
        }
        return out;
    }

    /** The first data set that holds images: the VAE trains on it. */
    private String imagesFrom(Map<String, List<TrainingExample>> firsts) {
        return firsts.entrySet().stream()
                .filter(e -> TrainingCorpus.modalities(e.getValue()).contains(ImagePart.MODALITY))
                .map(Map.Entry::getKey).findFirst().orElse(data.get(0));
    }

    /** Runs another subcommand on the same terminal; its failure is this command's failure. */
    private void run(List<String> args) {
        TransfusionCli.runStep(terminal, "demo", args);
    }
}
