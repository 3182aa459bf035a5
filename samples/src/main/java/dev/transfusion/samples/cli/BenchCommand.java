package dev.transfusion.samples.cli;

import dev.transfusion.core.CpuBackend;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.bench.GenerateBench;
import dev.transfusion.core.bench.TrainBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code transfusion bench}: the reference's benchmarks, printed in its words for a side-by-side run. */
@Command(name = "bench", description = {"Run the reference's benchmarks on the bench config.",
    "train: median step time of 8 rows x 256 positions with AdamW and clipping (transfusion_ref.py bench).",
    "generate: cached and recomputed decoding, and one guided 50-step DDIM image (transfusion_ref.py bench-generate)."})
public final class BenchCommand implements Callable<Integer> {

    /** Which benchmark. */
    enum Kind { train, generate }

    @Parameters(index = "0", paramLabel = "train|generate", description = "Which benchmark.")
    Kind kind;

    @Option(names = "--steps", paramLabel = "N", description = "Measured training steps (default: ${DEFAULT-VALUE}).")
    int steps = 20;

    @Option(names = "--warmup", paramLabel = "N", description = "Unmeasured first steps (default: ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Option(names = "--tokens", paramLabel = "N", description = "Tokens decoded in the generate bench (default: ${DEFAULT-VALUE}).")
    int tokens = 256;

    @Option(names = "--reps", paramLabel = "N", description = "Repetitions in the generate bench (default: ${DEFAULT-VALUE}).")
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

    private final Terminal terminal;

    /** The command on {@code terminal}. */
    public BenchCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        TransfusionConfig c = TransfusionConfig.preset(preset);
        CpuBackend.limitThreads(threads);
        CpuBackend.blasThreads(blasThreads);
        String report = kind == Kind.train ? TrainBench.run(c, steps, warmup).report()
                : GenerateBench.run(c, tokens, reps).report();
        terminal.out().println(report);
        return 0;
    }
}
