package dev.transfusion.samples.cli;

import dev.transfusion.api.GenerationOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The text-sampling flags of the commands that write text (a picocli mixin; see {@link SamplingOptions}). */
public final class TextSampling {
    @Option(names = "--max-tokens", paramLabel = "N", description = "The most new text tokens (default: ${DEFAULT-VALUE}).")
    int maxTokens = GenerationOptions.DEFAULTS.maxTokens();

    @Option(names = "--temperature", paramLabel = "T", description = "0 is greedy (default: ${DEFAULT-VALUE}).")
    double temperature = GenerationOptions.DEFAULTS.temperature();

    @Option(names = "--top-k", paramLabel = "K", description = "Sample from the K most likely tokens; 0 for all.")
    int topK = GenerationOptions.DEFAULTS.topK();

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP = GenerationOptions.DEFAULTS.topP();

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when this text is produced (repeatable).")
    List<String> stop = new ArrayList<>();
}
