package dev.transfusion.samples.cli;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.Mode;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code transfusion complete}: continues a text prompt, streaming tokens as they come. */
@Command(name = "complete", description = "Continue a text prompt with text, printed as it is generated.")
public final class CompleteCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A trained model directory.")
    Path model;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The text to continue.")
    String prompt;

    @Mixin
    TextSampling sampling;

    @Mixin
    SeedOption seed;

    private final Terminal terminal;

    /** The command on {@code terminal}. */
    public CompleteCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        PromptRule.check("--prompt", prompt);
        try (TransfusionModel m = Transfusion.load(model)) {
            GenerationResult r = m.generate(Document.text(prompt),
                    SamplingOptions.of(sampling, null, seed).toBuilder().mode(Mode.TEXT).build(),
                    GenerationListener.ofTokens((id, text) -> {
                        terminal.out().print(text);
                        terminal.out().flush();
                    }), new Cancellation());
            terminal.out().println();
            terminal.err().println("finished: " + r.finishReason().name().toLowerCase() + ", "
                    + r.usage().generatedTokens() + " tokens, seed " + SeedOption.print(r.usage().seed()));
        }
        return 0;
    }
}
