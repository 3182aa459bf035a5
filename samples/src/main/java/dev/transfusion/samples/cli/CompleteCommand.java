package dev.transfusion.samples.cli;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.Mode;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code transfusion complete}: continues a text prompt, streaming tokens as they come. */
@Command(name = "complete", description = {"Continue a text prompt with text, printed as it is generated.",
    "Stops at the end of the text: the end of the document, or where the model would begin an image."})
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
            // In text-only mode the engine bans the image token, and a model trained on captions followed by their
            // images then runs one caption into the next ("...top lefta large..."). So the model may start an
            // image: that is where its text ends, and the image is not drawn (cancelled at its first step).
            Cancellation cancel = new Cancellation();
            boolean[] imageStarted = {false};
            GenerationResult r = m.generate(Document.text(prompt),
                    SamplingOptions.of(sampling, null, seed).toBuilder().mode(Mode.AUTO).build(),
                    new GenerationListener() {
                        @Override
                        public void onToken(int tokenId, String text) {
                            terminal.out().print(text);
                            terminal.out().flush();
                        }

                        @Override
                        public void onDiffusionStep(DiffusionStep step) {
                            imageStarted[0] = true;
                            cancel.cancel();
                        }
                    }, cancel);
            terminal.out().println();
            String finish = imageStarted[0] ? "end of text (the model began an image, which complete does not draw)"
                    : r.finishReason().name().toLowerCase(Locale.ROOT);
            terminal.err().println("finished: " + finish + ", " + r.usage().generatedTokens() + " tokens, seed "
                    + SeedOption.print(r.usage().seed()));
        }
        return 0;
    }
}
