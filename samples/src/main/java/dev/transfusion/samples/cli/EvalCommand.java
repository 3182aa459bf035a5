package dev.transfusion.samples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.api.spi.DataSetJudge;
import dev.transfusion.api.spi.Evaluation;
import dev.transfusion.core.plugin.DataSetRegistry;
import dev.transfusion.core.plugin.DataSetSpec;
import dev.transfusion.samples.report.GridPicture;
import dev.transfusion.samples.report.HtmlReport;
import dev.transfusion.samples.report.SamplesPicture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code transfusion eval}: judges a model on a data set's held-out samples (shapes-v1 by default). */
@Command(name = "eval", description = {"Judge a model on a data set's held-out samples; for shapes-v1: text-to-image "
        + "accuracy per attribute and all four together, caption and question-answering accuracy, caption perplexity.",
    "Writes OUT/metrics.json, OUT/samples.png and OUT/report.html."})
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A trained model directory.")
    Path model;

    @Option(names = "--data", paramLabel = "NAME[:ARG]",
            description = "The data set whose judge to use, e.g. fashion-mnist:DIR (default: ${DEFAULT-VALUE}).")
    String data = "shapes";

    @Option(names = "--n", paramLabel = "N", description = "Held-out samples (default: ${DEFAULT-VALUE}).")
    int n = 200;

    // Not the model's parent: that is where demo writes its report, and a second eval would overwrite it.
    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the results go (default: a new folder eval-YYYYMMDD-HHMMSS beside the model).")
    Path out;

    // Only the image flags: captions and answers are read greedily and sample i is drawn with seed i, so that
    // runs compare; text flags or a seed here would be ignored.
    @Mixin
    DiffusionSampling diffusion;

    /** Set by demo: when it started (epoch milliseconds), so that the report shows the demo's whole time. */
    @Option(names = "--demo-started", hidden = true)
    Long demoStarted;

    private final Terminal terminal;

    /** The command on {@code terminal}. */
    public EvalCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException {
        // the judge first: a wrong name fails before the model loads
        DataSetSpec dataSet = DataSetRegistry.fromClassPath().getSpec(data);
        DataSetJudge judge = dataSet.judge().orElseThrow(() -> new InvalidInputException(
                "data set '" + data + "' has no judge for held-out samples, so it cannot be evaluated"));
        Path dir = out != null ? out : freshFolder(model.toAbsolutePath().normalize().getParent(), LocalDateTime.now());
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidInputException("--out " + dir + " is a file; expected a folder for the results");
        }
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        Evaluation r;
        try (TransfusionModel m = Transfusion.load(model)) {
            ProgressBar bar = new ProgressBar(terminal, "eval", n);
            GenerationOptions images = SamplingOptions.of(null, diffusion, new SeedOption());
            r = judge.evaluate(m, n, images, 12, done -> bar.update(done, ""));
        }
        double minutes = (System.nanoTime() - t0) / 6e10;
        String drawing = diffusion.sampler.name().toLowerCase(Locale.ROOT) + ", " + diffusion.steps + " steps, guidance "
                + diffusion.guidance;
        HtmlReport.Run run = demoStarted == null
                ? new HtmlReport.Run("transfusion eval --model " + model + " --data " + data + " --n " + n + " --out "
                        + dir, minutes, minutes, model, drawing)
                : new HtmlReport.Run("transfusion demo --out " + dir, (System.currentTimeMillis() - demoStarted) / 6e4,
                        minutes, model, drawing);
        write(dir, r, run);
        for (Evaluation.Metric x : r.metrics()) {
            terminal.out().println(x.key() + " " + format(x));
        }
        terminal.out().printf(Locale.ROOT, "(%.1f min)%n", minutes);
        terminal.out().println("wrote " + dir.resolve("metrics.json") + ", " + dir.resolve("samples.png") + ", "
                + dir.resolve("report.html"));
        return 0;
    }

    /** A figure as a terminal line shows it. */
    static String format(Evaluation.Metric m) {
        return m.kind() == Evaluation.Kind.COUNT ? String.valueOf((long) m.value())
                : String.format(Locale.ROOT, "%.3f", m.value());
    }

    /** {@code parent/eval-YYYYMMDD-HHMMSS}, with a suffix -2, -3, ... when that exists already. */
    static Path freshFolder(Path parent, LocalDateTime now) {
        String name = "eval-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path dir = parent.resolve(name);
        for (int k = 2; Files.exists(dir); k++) {
            dir = parent.resolve(name + "-" + k);
        }
        return dir;
    }

    /** metrics.json, samples.png, the judge's grids (grid-*.png) and report.html in {@code dir}. */
    static void write(Path dir, Evaluation r, HtmlReport.Run run) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("metrics.json").toFile(),
                metricsJson(r));
        SamplesPicture.write(r.examples(), 6, dir.resolve("samples.png"));
        for (Evaluation.Grid grid : r.grids()) {
            GridPicture.write(grid, dir.resolve(grid.fileName()));
        }
        HtmlReport.write(dir.resolve("report.html"), r, "samples.png", run);
    }

    /** The figures by key, in the judge's order; counts as whole numbers. */
    static Map<String, Object> metricsJson(Evaluation r) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (Evaluation.Metric m : r.metrics()) {
            json.put(m.key(), m.kind() == Evaluation.Kind.COUNT ? (Object) (long) m.value() : (Object) m.value());
        }
        return json;
    }
}
