package dev.transfusion.samples.cli;

import dev.transfusion.api.Transfusion;
import dev.transfusion.core.model.WeightFormat;
import dev.transfusion.core.runtime.ModelDirectory;
import dev.transfusion.core.runtime.WeightExport;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code transfusion export}: a model's weights as one safetensors file or a folder of npy files, under
 * the PyTorch reference's parameter names; {@code --as-model} writes a whole model directory instead, which
 * loads like the original (a model loads from either format).
 */
@Command(
        name = "export",
        description = {
            "Write a model's weights as one safetensors file or a folder of npy files.",
            "The tensors keep the PyTorch reference's parameter names. With --as-model, write a whole model "
                    + "directory instead."
        })
public final class ExportCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A model directory (its weights in either format).")
    Path model;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "safetensors or npy.")
    WeightFormat format;

    @Option(names = "--out", required = true, paramLabel = "PATH",
            description = "A new path: the .safetensors file, the npy folder, or with --as-model the model directory.")
    Path out;

    @Option(names = "--as-model",
            description = "Write a complete model directory (config, tokenizer, codec, weights in FORMAT).")
    boolean asModel;

    private final Terminal terminal;

    /** The command, writing through {@code terminal}. */
    public ExportCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        ModelDirectory.Weights w = asModel ? WeightExport.model(model, format, out, Transfusion.registry())
                : WeightExport.weights(model, format, out);
        long parameters = w.values().values().stream().mapToLong(v -> v.length).sum();
        terminal.out().println("wrote " + w.values().size() + " tensors (" + parameters + " parameters) as "
                + format.name().toLowerCase(Locale.ROOT) + " to " + out);
        terminal.out().flush();
        return 0;
    }
}
