package dev.transfusion.samples.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.transfusion.api.Cancellation;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Trainer;
import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.TrainingOptions;
import dev.transfusion.api.TrainingStep;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.api.spi.DataSetJudge;
import dev.transfusion.api.spi.Evaluation;
import dev.transfusion.core.plugin.DataSetRegistry;
import dev.transfusion.samples.ablate.AblationArm;
import dev.transfusion.samples.ablate.AblationTable;
import dev.transfusion.samples.report.HtmlReport;
import dev.transfusion.samples.report.TrainingCurve;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code transfusion ablate}: the paper's ablations at an equal step budget. Trains the baseline and each
 * one-change arm from the same data, seed, batch and codec, samples the baseline other ways, judges every arm
 * with the data set's judge and writes the table. Each arm's model and figures are kept, so that a second run
 * (or a run of other {@code --arms} in another process, on the other core) only does what is missing.
 */
@Command(name = "ablate", description = {"The paper's ablations at an equal step budget: causal vs bidirectional "
        + "attention inside images, linear vs U-Net patch coder, image-first noise limited or not, guidance 1/3/5, "
        + "DDIM-25/50 vs DDPM-250; each arm judged on the data set's held-out samples.",
    "Writes OUT/ARM/{model,metrics.json,samples.png,report.html}, OUT/ablation.md and OUT/ablation.json."})
public final class AblateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--data", paramLabel = "NAME[:ARG]", description = "A data set with a judge, e.g. shapes or "
            + "fashion-mnist (default: ${DEFAULT-VALUE}).")
    String data = "shapes";

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: out/ablate-DATA).")
    Path out;

    @Option(names = "--budget-minutes", paramLabel = "N", description = "Training time of all the trained arms "
            + "together: the steps per arm follow from a measured pace (default: ${DEFAULT-VALUE}; --steps wins).")
    double budgetMinutes = 60;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps per arm, instead of the budget's.")
    Integer steps;

    @Option(names = "--batch", paramLabel = "ROWS", description = "Packed rows per step (default: ${DEFAULT-VALUE}).")
    int batch = 32;

    @Option(names = "--seed", paramLabel = "N", description = "Training seed of every arm (default: ${DEFAULT-VALUE}); "
            + "another seed in another --out tells a real difference from the noise of one run.")
    long seed = 0;

    @Option(names = "--n", paramLabel = "N", description = "Held-out samples per arm (default: ${DEFAULT-VALUE}).")
    int n = 100;

    @Option(names = "--vae", paramLabel = "DIR", description = "An image codec to share (default: trained into OUT/vae).")
    Path vae;

    @Option(names = "--arms", paramLabel = "NAME,...", split = ",", description = "Only these arms (default: all): "
            + "baseline, causal-spans, unet-coder, no-noise-limit, guidance-1, guidance-5, ddim-50, ddpm-250.")
    List<String> arms = List.of();

    private final Terminal terminal;

    /** The command on {@code terminal}. */
    public AblateCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException {
        List<AblationArm> plan = AblationArm.named(arms);
        DataSetJudge judge = DataSetRegistry.fromClassPath().getSpec(data).judge().orElseThrow(() ->
                new InvalidInputException("--data " + data + " has no judge for held-out samples, so it cannot be ablated"));
        Path dir = out != null ? out : Path.of("out", "ablate-" + data.replaceAll("[^A-Za-z0-9_-]", "_"));
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        Path codec = vae != null ? vae : dir.resolve("vae");
        if (vae == null && !Files.exists(codec.resolve("manifest.json"))) {
            terminal.err().println("ablate: training the image codec every arm shares");
            run(List.of("train-vae", "--data", data, "--out", codec.toString()));
        }
        int perArm = stepsPerArm(dir, plan, codec);
        for (AblationArm arm : plan) {
            Path armDir = dir.resolve(arm.name());
            Path model = dir.resolve(arm.trains() ? arm.name() : AblationArm.BASELINE).resolve("model");
            if (arm.trains() && !Files.exists(model.resolve("manifest.json"))) {
                terminal.err().println("ablate: training " + arm.name() + " (" + arm.change() + "), " + perArm + " steps");
                train(arm, armDir, codec, perArm, false);
            }
            if (!Files.exists(armDir.resolve("metrics.json"))) {
                if (!Files.exists(model.resolve("manifest.json"))) {
                    throw new InvalidInputException("arm " + arm.name() + " samples the baseline's model, and "
                            + model + " does not exist yet: run the baseline arm first (--arms baseline)");
                }
                evaluate(arm, model, armDir, judge);
            }
        }
        Map<String, Map<String, Double>> results = results(dir);
        String md = AblationTable.markdown(AblationArm.all(), results, n, perArm);
        Files.writeString(dir.resolve("ablation.md"), "# Ablations on " + data + ": " + perArm + " steps per trained arm, "
                + "seed " + seed + ", " + n + " held-out samples per arm\n\n" + md);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", data);
        json.put("steps_per_arm", perArm);
        json.put("seed", seed);
        json.put("n", n);
        json.put("arms", results);
        json.put("claims", AblationTable.claims(results, n));
        JSON.writeValue(dir.resolve("ablation.json").toFile(), json);
        terminal.out().print(md);
        terminal.out().printf(Locale.ROOT, "ablate: done in %.1f minutes; wrote %s and %s%n", (System.nanoTime() - t0) / 6e10,
                dir.resolve("ablation.md"), dir.resolve("ablation.json"));
        return 0;
    }

    /**
     * The steps every trained arm gets: {@code --steps}, the steps already chosen for {@code dir} (so that arms
     * trained by several runs stay equal), or the budget over the measured pace of the arms still to train.
     */
    private int stepsPerArm(Path dir, List<AblationArm> plan, Path codec) throws IOException {
        Path planFile = dir.resolve("plan.json");
        Integer chosen = Files.exists(planFile) ? JSON.readTree(planFile.toFile()).path("steps_per_arm").asInt() : null;
        if (chosen != null && steps != null && !chosen.equals(steps)) {
            throw new InvalidInputException("--steps " + steps + ": " + planFile + " says the arms in " + dir + " train "
                    + chosen + " steps each; use that, or another --out");
        }
        if (chosen != null) {
            return chosen;
        }
        if (plan.stream().noneMatch(AblationArm::trains)) {
            return steps != null ? steps : 0;   // nothing to train here: the budget is for the run that trains
        }
        int perArm;
        if (steps != null) {
            perArm = steps;
        } else {
            double totalMs = 0;
            List<String> paces = new ArrayList<>();
            for (AblationArm arm : plan) {
                if (arm.trains()) {   // each arm's own pace: a change such as the U-Net coder costs more a step
                    terminal.err().println("ablate: measuring the pace of " + arm.name());
                    double ms = train(arm, dir.resolve("pace").resolve(arm.name()), codec, 12, true);
                    paces.add(String.format(Locale.ROOT, "%.0f", ms));
                    totalMs += ms;
                }
            }
            perArm = totalMs == 0 ? 1 : Math.max(1, (int) (budgetMinutes * 60_000 / totalMs));
            terminal.err().printf(Locale.ROOT, "ablate: %.0f minutes over %s ms a step: %d steps per arm%n", budgetMinutes,
                    paces, perArm);
        }
        JSON.writeValue(planFile.toFile(), Map.of("steps_per_arm", perArm, "data", data, "batch", batch, "seed", seed));
        return perArm;
    }

    /** Trains one arm for {@code count} steps into {@code armDir}; the median step time after the first four, in ms. */
    private double train(AblationArm arm, Path armDir, Path codec, int count, boolean probe) {
        TrainingOptions o = TrainingOptions.builder(data, armDir).preset("shapes").steps(count).batchSize(batch)
                .learningRate(1.5e-3).warmupSteps(Math.min(100, count)).checkpointEvery(250).seed(seed)
                .resume(!probe).overwrite(probe).codecDir(codec).configOverrides(arm.config()).build();
        ProgressBar bar = new ProgressBar(terminal, probe ? "pace" : arm.name(), count).showingFirstUpdate();
        List<Double> millis = new ArrayList<>();
        try (Trainer trainer = Transfusion.trainer(o)) {
            trainer.train(new TrainingListener() {
                @Override
                public void onStep(TrainingStep s) {
                    if (s.step() > 4) {
                        millis.add(s.millis());
                    }
                    bar.update(s.step(), String.format(Locale.ROOT, "loss %.3f (lm %.3f, ddpm %.4f),", s.totalLoss(),
                            s.lmLoss(), s.ddpmLoss()));
                }
            }, new Cancellation());
        }
        return millis.isEmpty() ? 0 : millis.stream().sorted().toList().get(millis.size() / 2);
    }

    /** Judges one arm on {@code n} held-out samples and writes its metrics.json, samples.png and report.html. */
    private void evaluate(AblationArm arm, Path model, Path armDir, DataSetJudge judge) throws IOException {
        terminal.err().println("ablate: judging " + arm.name() + " (" + arm.sampler().name().toLowerCase(Locale.ROOT)
                + " " + arm.steps() + " steps, guidance " + arm.guidance() + ")");
        DiffusionSampling sampling = new DiffusionSampling();
        sampling.sampler = arm.sampler();
        sampling.steps = arm.steps();
        sampling.guidance = arm.guidance();
        long t0 = System.nanoTime();
        Evaluation r;
        try (TransfusionModel m = Transfusion.load(model)) {
            ProgressBar bar = new ProgressBar(terminal, "judge " + arm.name(), n);
            GenerationOptions images = SamplingOptions.of(null, sampling, new SeedOption());
            r = judge.evaluate(m, n, images, 12, done -> bar.update(done, ""));
        }
        double minutes = (System.nanoTime() - t0) / 6e10;
        Files.createDirectories(armDir);
        EvalCommand.write(armDir, r, new HtmlReport.Run("transfusion ablate --data " + data + " (arm " + arm.name() + ")",
                minutes, minutes, model, sampling.sampler.name().toLowerCase(Locale.ROOT) + ", " + sampling.steps
                        + " steps, guidance " + sampling.guidance));
    }

    /** Every arm's figures found in {@code dir}, by arm name. */
    private static Map<String, Map<String, Double>> results(Path dir) throws IOException {
        Map<String, Map<String, Double>> results = new LinkedHashMap<>();
        for (AblationArm arm : AblationArm.all()) {
            Path f = dir.resolve(arm.name()).resolve("metrics.json");
            if (Files.exists(f)) {
                Map<String, Double> r = new LinkedHashMap<>(JSON.readValue(f.toFile(),
                        new TypeReference<Map<String, Double>>() { }));
                double loss = TrainingCurve.lastQuarterDdpmLoss(dir.resolve(arm.name()).resolve("training-log.tsv"));
                if (arm.trains() && !Double.isNaN(loss)) {
                    r.put(AblationTable.DDPM_LOSS, loss);
                }
                results.put(arm.name(), r);
            }
        }
        return results;
    }

    /** Runs another subcommand on the same terminal; its failure is this command's failure. */
    private void run(List<String> args) {
        TransfusionCli.runStep(terminal, "ablate", args);
    }
}
