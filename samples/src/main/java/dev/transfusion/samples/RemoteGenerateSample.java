package dev.transfusion.samples;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.Mode;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.server.TransfusionClient;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A remote model used exactly like a local one: connect to a Transfusion server, draw an image with streamed
 * progress, then caption what came back. Start a server with {@code ./transfusion serve --model DIR}, then run
 * this with {@code HOST:PORT [TOKEN]} ({@code HOST:PORT,HOST:PORT,...} spreads the calls over several servers).
 * Only public API is used, and only the light client's ({@code dev.transfusion:grpc-client}: no engine, no
 * Netty): {@code TransfusionClient} is a {@code TransfusionModel}, so the code after {@code build()} would run
 * unchanged on {@code Transfusion.load(dir)}.
 */
public final class RemoteGenerateSample {
    private RemoteGenerateSample() {
    }

    public static void main(String[] args) {
        run(args, System.out);
    }

    /** Runs the sample, printing to {@code out}. */
    public static void run(String[] args, PrintStream out) {
        String target = args.length > 0 ? args[0] : "127.0.0.1:50051";
        TransfusionClient.Builder connection = TransfusionClient.builder(target).timeout(Duration.ofMinutes(5));
        if (args.length > 1) {
            connection.bearerToken(args[1]);
        }
        try (TransfusionModel model = connection.build()) {
            ModelInfo info = model.info();
            out.println("model " + info.name() + ": " + info.parameters() + " parameters, modalities "
                    + info.modalities().keySet());

            GenerationOptions options = GenerationOptions.builder().mode(Mode.IMAGE).diffusionSteps(8).seed(1L)
                    .maxTokens(16).build();
            GenerationResult drawn = model.generate(Document.text("a red circle"), options, new GenerationListener() {
                @Override
                public void onToken(int tokenId, String text) {
                    out.print(text);
                }

                @Override
                public void onDiffusionStep(DiffusionStep step) {
                    out.println("denoising " + step.step() + "/" + step.totalSteps());
                }
            }, new Cancellation());
            out.println();
            out.println("finished: " + drawn.finishReason() + ", " + drawn.images().size() + " image(s), seed "
                    + drawn.usage().seed());
            for (RgbImage image : drawn.images()) {
                out.println("caption of the " + image.width() + "x" + image.height() + " image: "
                        + model.caption(image, GenerationOptions.builder().maxTokens(16).build()));
            }
        }
    }
}
