package dev.transfusion.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.Document;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.Usage;
import dev.transfusion.server.TransfusionServer;
import dev.transfusion.testing.StubModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java client sample runs against a server on loopback. */
class RemoteGenerateSampleTest {

    /**
     * Draws a 4x4 image in as many steps as asked, then says "here it is"; captions (the server asks
     * generate, with the image alone as the prompt) "a red square WxH". Word by word, as a model streams.
     */
    record Drawing() implements StubModel {
        @Override
        public GenerationResult generate(Document prompt, GenerationOptions o, GenerationListener l, Cancellation c) {
            List<Part> parts = new ArrayList<>();
            String reply;
            if (prompt.parts().size() == 1 && prompt.parts().get(0) instanceof ImagePart im) {
                reply = "a red square " + im.image().width() + "x" + im.image().height();
            } else {
                for (int k = 1; k <= o.diffusionSteps(); k++) {
                    l.onDiffusionStep(new DiffusionStep(0, k, o.diffusionSteps(), 1000 - k, null));
                }
                int[] red = new int[16];
                Arrays.fill(red, 0xff0000);
                parts.add(new ImagePart(RgbImage.fromPackedRgb(4, 4, red)));
                reply = " here it is";
            }
            for (String word : reply.split("(?= )")) {
                l.onToken(0, word);
            }
            parts.add(new TextPart(reply));
            return new GenerationResult(parts, FinishReason.END_OF_SEQUENCE,
                    new Usage(1, reply.split(" ").length, parts.size() - 1, o.seed() == null ? 0 : o.seed()));
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("fake", 1234, 100, Map.of("text", "1.0", "image", "1.0"), Map.of());
        }
    }

    @Test
    void sampleDrawsAndCaptions() throws Exception {
        Drawing model = new Drawing();
        TransfusionServer server = TransfusionServer.builder().model(model).host("127.0.0.1").port(0)
                .bearerToken("tok").shutdownTimings(Duration.ZERO, Duration.ofSeconds(5)).build().start();
        try {
            server.awaitReady();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                RemoteGenerateSample.run(new String[] {"127.0.0.1:" + server.port(), "tok"}, out);
            }
            String expected = """
                    model fake: 1234 parameters, modalities %s
                    denoising 1/8
                    denoising 2/8
                    denoising 3/8
                    denoising 4/8
                    denoising 5/8
                    denoising 6/8
                    denoising 7/8
                    denoising 8/8
                     here it is
                    finished: END_OF_SEQUENCE, 1 image(s), seed 1
                    caption of the 4x4 image: a red square 4x4
                    """.formatted(model.info().modalities().keySet());
            assertEquals(expected, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            server.shutdown();
        }
    }
}
