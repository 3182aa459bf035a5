package dev.transfusion.samples.cli;

import dev.transfusion.core.CpuBackend;
import dev.transfusion.core.EngineSettings;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.ConfigOverrides;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.samples.bench.GenerateBench;
import dev.transfusion.samples.bench.ServeBench;
import dev.transfusion.samples.bench.Sweep;
import dev.transfusion.samples.bench.SweepCell;
import dev.transfusion.samples.bench.TrainBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code transfusion bench}: the reference's benchmarks, printed in its words for a side-by-side run. */
@Command(name = "bench", description = {"Run the reference's benchmarks on the bench config.",
    "train: median step time of 8 rows x 256 positions with AdamW and clipping (transfusion_ref.py bench).",
    "generate: cached and recomputed decoding, and one guided 50-step DDIM image (transfusion_ref.py bench-generate).",
    "sweep: the train bench over width, length and vocabulary, ours against the reference in the same run.",
    "serve: a server on --model; --clients requests for one image each at once, then one by one (same seeds);",
    "  likewise text completions; --warmup-rounds unmeasured rounds, then --reps rounds: prints the median times, their",
    "  ratio, whether results match, the batch sizes."})
public final class BenchCommand implements Callable<Integer> {

    /** Which benchmark. */
    enum Kind { train, generate, sweep, serve }

    @Parameters(index = "0", paramLabel = "train|generate|sweep|serve", description = "Which benchmark.")
    Kind kind;

    @Option(names = "--steps", paramLabel = "N", description = "Measured training steps (default: ${DEFAULT-VALUE}).")
    int steps = 20;

    @Option(names = "--warmup", paramLabel = "N", description = "Unmeasured first steps (default: ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Option(names = "--config", paramLabel = "JSON", description = "Overrides of the configuration in the reference's "
            + "field names, e.g. '{\"dim\": 512, \"heads\": 8}' (default: none).")
    String config = "{}";

    @Option(names = "--rows", paramLabel = "N", description = "Rows a training step (default: ${DEFAULT-VALUE}).")
    int rows = 8;

    @Option(names = "--length", paramLabel = "N", description = "Positions a row (default: ${DEFAULT-VALUE}).")
    int length = 256;

    @Option(names = "--replicas", paramLabel = "N", description = "Data-parallel replicas, each on a thread of its own "
            + "over a share of the rows (default: ${DEFAULT-VALUE}).")
    int replicas = 1;

    @Option(names = "--tokens", paramLabel = "N", description = "Tokens decoded in the generate bench (default: ${DEFAULT-VALUE}).")
    int tokens = 256;

    @Option(names = "--long", paramLabel = "N", description = "Generate bench: also decode N tokens with the cache and "
            + "print the time a token at 256, 1024 and N (0: not; default: ${DEFAULT-VALUE}).")
    int longDecode = 0;

    @Option(names = "--reps", paramLabel = "N", description = "Repetitions in the generate bench, rounds in the sweep "
            + "and the serve bench (default: ${DEFAULT-VALUE}).")
    int reps = 3;

    @Option(names = "--preset", paramLabel = "NAME", completionCandidates = PresetNames.class,
            description = "Configuration preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String preset = "bench";

    @Option(names = "--threads", paramLabel = "N", description = "Threads for ND4J's own operations (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    // The reference's PyTorch runs matrix products on Debian's OpenBLAS pool, which uses both cores whatever
    // torch's thread count: this is the same lever for ND4J's bundled OpenBLAS.
    @Option(names = "--blas-threads", paramLabel = "N", description = "Threads for matrix products (default: ${DEFAULT-VALUE}).")
    int blasThreads = 1;

    // A generation pass splits its rows over threads of its own (one per core by default); 1 measures one core
    @Option(names = "--generation-threads", paramLabel = "N", description = "Threads a generation pass splits its "
            + "rows over (default: one per processor, at most 4).")
    Integer generationThreads;   // null: the engine's default

    @Option(names = "--python", paramLabel = "PATH", description = "The sweep's Python with torch (default: ${DEFAULT-VALUE}).")
    String python = "/usr/bin/python3";

    @Option(names = "--reference", paramLabel = "FILE", description = "The sweep's reference script (default: ${DEFAULT-VALUE}).")
    Path reference = Path.of("bench/reference/transfusion_ref.py");

    @Option(names = "--axis", paramLabel = "NAME", split = ",", description = "Sweep only these axes: base, width, "
            + "length, vocabulary (default: all).")
    java.util.List<String> axes = java.util.List.of();

    @Option(names = "--no-reference", description = "Sweep our side only.")
    boolean noReference;

    @Option(names = "--torch-threads", paramLabel = "N", description = "The reference's THREADS in the sweep (default: ${DEFAULT-VALUE}).")
    int torchThreads = 1;

    @Option(names = "--model", paramLabel = "DIR", description = "Serve bench: the model directory to serve.")
    Path model;

    // the JIT compiles for ~20 s after start-up and takes a core from whatever runs meanwhile
    @Option(names = "--warmup-rounds", paramLabel = "N", description = "Serve bench: unmeasured full-size rounds first "
            + "(default: ${DEFAULT-VALUE}).")
    int warmupRounds = 2;

    @Option(names = "--clients", paramLabel = "N", description = "Serve bench: concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients = 16;

    @Option(names = "--completion-tokens", paramLabel = "N", description = "Serve bench: tokens a text completion "
            + "(default: ${DEFAULT-VALUE}).")
    int completionTokens = 64;

    @Option(names = "--diffusion-steps", paramLabel = "N", description = "Serve bench: denoising steps an image "
            + "(default: ${DEFAULT-VALUE}).")
    int diffusionSteps = 25;

    private final Terminal terminal;

    /** The command on {@code terminal}. */
    public BenchCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (generationThreads != null) {
            if (generationThreads < 1) {
                throw new InvalidInputException("--generation-threads must be at least 1, got " + generationThreads);
            }
            System.setProperty(EngineSettings.GENERATION_THREADS, generationThreads.toString());
        }
        if (kind == Kind.serve) {
            return serve();
        }
        TransfusionConfig c = ConfigOverrides.apply(TransfusionConfig.preset(preset), config, "--config");
        if (kind == Kind.sweep) {
            var cells = SweepCell.grid().stream().filter(cell -> axes.isEmpty() || axes.contains(cell.axis())).toList();
            if (cells.isEmpty()) {
                throw new dev.transfusion.api.InvalidInputException("--axis " + axes + " selects no sweep cell; the axes are "
                        + "base, width, length, vocabulary");
            }
            new Sweep(cells, reps, steps, warmup, replicas, noReference ? null : python, reference, torchThreads)
                    .run(terminal.out());
            return 0;
        }
        CpuBackend.limitThreads(threads);
        CpuBackend.blasThreads(blasThreads);
        String report = kind == Kind.train ? TrainBench.run(c, steps, warmup, rows, length, replicas).report()
                : GenerateBench.run(c, tokens, reps).report();
        terminal.out().println(report);
        if (kind == Kind.generate && longDecode > 0) {
            int[] marks = java.util.stream.IntStream.of(256, 1024, longDecode).filter(m -> m <= longDecode).distinct().toArray();
            terminal.out().println(GenerateBench.longDecode(c, marks));
        }
        return 0;
    }

    private int serve() throws Exception {
        if (model == null) {
            throw new InvalidInputException("bench serve needs --model DIR, the model directory to serve");
        }
        if (!java.nio.file.Files.isRegularFile(model.resolve("manifest.json"))) {
            throw new InvalidInputException("--model " + model + " is not a model directory: "
                    + model.resolve("manifest.json") + " is missing");
        }
        if (clients < 1 || clients > 64) {
            throw new InvalidInputException("--clients must be 1..64, got " + clients);
        }
        if (completionTokens < 1 || completionTokens > 4096) {
            throw new InvalidInputException("--completion-tokens must be 1..4096, got " + completionTokens);
        }
        if (diffusionSteps < 1 || diffusionSteps > 1000) {
            throw new InvalidInputException("--diffusion-steps must be 1..1000, got " + diffusionSteps);
        }
        CpuBackend.limitThreads(threads);
        CpuBackend.blasThreads(blasThreads);
        if (warmupRounds < 0 || warmupRounds > 20 || reps < 1 || reps > 50) {
            throw new InvalidInputException("--warmup-rounds must be 0..20 and --reps 1..50, got " + warmupRounds
                    + " and " + reps);
        }
        terminal.out().println(ServeBench.run(model, clients, completionTokens, diffusionSteps, warmupRounds, reps)
                .report());
        return 0;
    }
}
