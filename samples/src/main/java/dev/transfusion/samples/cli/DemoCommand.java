package dev.transfusion.samples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code transfusion demo}: the main job. From nothing to a model that draws shapes from captions,
 * captions them and answers questions about them: train-vae, train and eval on the built-in data,
 * each step skipped when its output already exists and resumed when it was interrupted.
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

    @Option(names = "--vae-steps", paramLabel = "N", description = "VAE training steps (default: the train-vae default).")
    Integer vaeSteps;

    @Option(names = "--n", paramLabel = "N", description = "Held-out evaluation samples (default: ${DEFAULT-VALUE}).")
    int n = 200;

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
        if (Files.exists(model.resolve("manifest.json"))) {
            terminal.err().println("demo: reusing the model in " + model + " (delete it to train again)");
        } else {
            if (!Files.exists(vae.resolve("manifest.json"))) {
                terminal.err().println("demo: 1/3 training the image VAE");
                List<String> args = new ArrayList<>(List.of("train-vae", "--data", "shapes", "--out", vae.toString()));
                if (vaeSteps != null) {
                    args.addAll(List.of("--steps", vaeSteps.toString()));
                }
                run(args);
            }
            terminal.err().println("demo: 2/3 training the Transfusion model");
            List<String> args = new ArrayList<>(List.of("train", "--data", "shapes", "--vae", vae.toString(),
                    "--out", out.toString(), "--steps", Integer.toString(steps), "--batch", Integer.toString(batch)));
            if (Files.exists(out.resolve("checkpoint/manifest.json"))) {
                args.add("--resume");
            }
            run(args);
        }
        terminal.err().println("demo: 3/3 evaluating on " + n + " held-out samples");
        run(List.of("eval", "--model", model.toString(), "--n", Integer.toString(n), "--out", out.toString(),
                "--demo-started", Long.toString(startedMs)));
        terminal.err().printf("demo: done in %.1f minutes; open %s%n", (System.nanoTime() - t0) / 6e10,
                out.resolve("report.html"));
        return 0;
    }

    /** Runs another subcommand on the same terminal; its failure is the demo's failure. */
    private void run(List<String> args) {
        CommandLine cli = TransfusionCli.commandLine(terminal);
        int code = cli.execute(args.toArray(String[]::new));
        if (code != 0) {
            throw new CommandLine.ExecutionException(cli, "demo step '" + String.join(" ", args) + "' failed (exit "
                    + code + ")");
        }
    }
}
