package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.server.ServerHarness.Transport;
import dev.transfusion.server.v1.AnswerRequest;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.Diffusion;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.GetModelInfoRequest;
import dev.transfusion.server.v1.ImageData;
import dev.transfusion.server.v1.ImageScoreRequest;
import dev.transfusion.server.v1.ScoreRequest;
import dev.transfusion.server.v1.Sampling;
import dev.transfusion.server.v1.TextScoreRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad requests fail with INVALID_ARGUMENT and a message naming the field, and never reach the model. */
class InvalidInputTest {
    private static ServerHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = ServerHarness.start(Transport.IN_PROCESS, new FakeModel(0, 0));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static void invalid(String message, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(message, e.getStatus().getDescription());
    }

    private static void generate(String message, Consumer<GenerateRequest.Builder> change) {
        GenerateRequest.Builder b = GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder().setText("hi"));
        change.accept(b);
        invalid(message, () -> h.blocking().generate(b.build()).forEachRemaining(x -> { }));
        assertEquals(0, h.model.generateCalls.get(), "a bad request never reaches the model");
    }

    private static void caption(String message, ImageData image) {
        invalid(message, () -> h.blocking().caption(CaptionRequest.newBuilder().setImage(image).build()));
    }

    @Test
    void emptyPrompts() {
        generate("prompt is empty: give at least one non-empty text or image chunk", GenerateRequest.Builder::clearPrompt);
        generate("prompt is empty: give at least one non-empty text or image chunk",
                b -> b.clearPrompt().addPrompt(Chunk.newBuilder().setText("")));
        generate("prompt[1] has neither text, image nor part", b -> b.addPrompt(Chunk.getDefaultInstance()));
    }

    @Test
    void samplingOutOfRange() {
        generate("sampling.temperature must be 0..100 (0 is greedy), got -1.0",
                b -> b.setSampling(Sampling.newBuilder().setTemperature(-1)));
        generate("sampling.temperature must be 0..100 (0 is greedy), got NaN",
                b -> b.setSampling(Sampling.newBuilder().setTemperature(Float.NaN)));
        generate("sampling.top_k must be 0 or more (0 keeps every token), got -3",
                b -> b.setSampling(Sampling.newBuilder().setTopK(-3)));
        generate("sampling.top_p must be in (0, 1] (0 means 1), got 1.5",
                b -> b.setSampling(Sampling.newBuilder().setTopP(1.5f)));
        generate("sampling.max_new_tokens must be 1..65536 (0 means the default), got 70000",
                b -> b.setSampling(Sampling.newBuilder().setMaxNewTokens(70000)));
        generate("sampling.stop[1] must be non-empty, got \"\"",
                b -> b.setSampling(Sampling.newBuilder().addStop("x").addStop("")));
        generate("diffusion.steps must be 1..1000 (0 means the default), got 1001",
                b -> b.setDiffusion(Diffusion.newBuilder().setSteps(1001)));
        generate("diffusion.guidance_scale must be in (0, 100] (0 means the default), got -2.0",
                b -> b.setDiffusion(Diffusion.newBuilder().setGuidanceScale(-2)));
        generate("diffusion.sampler must be \"ddpm\" or \"ddim\", got \"euler\"",
                b -> b.setDiffusion(Diffusion.newBuilder().setSampler("euler")));
        generate("mode must be MODE_AUTO, MODE_TEXT or MODE_IMAGE", b -> b.setModeValue(9));
    }

    @Test
    void badImages() throws IOException {
        caption("image.data is empty", ImageData.newBuilder().setMimeType("image/png").build());
        caption("image.mime_type 'image/gif' is not supported; use image/png or image/jpeg",
                ImageData.newBuilder().setData(TestImages.gif(2, 2)).setMimeType("image/gif").build());
        caption("image.data is a GIF image; send image/png or image/jpeg",
                ImageData.newBuilder().setData(TestImages.gif(2, 2)).build());
        caption("image.data (5 bytes) is not a PNG or JPEG image",
                ImageData.newBuilder().setData(ByteString.copyFromUtf8("hello")).setMimeType("image/png").build());
        caption("image.mime_type says image/png but the bytes are image/jpeg",
                ImageData.newBuilder().setData(TestImages.jpeg(2, 2)).setMimeType("image/png").build());
        caption("image is 100000x100000 pixels, over the limit of 67108864",
                ImageData.newBuilder().setData(TestImages.pngHeaderOnly(100_000, 100_000)).build());
        ByteString truncated = TestImages.png(64, 64).substring(0, 60);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> h.blocking().caption(
                CaptionRequest.newBuilder().setImage(ImageData.newBuilder().setData(truncated)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        org.junit.jupiter.api.Assertions.assertTrue(
                e.getStatus().getDescription().startsWith("image.data cannot be decoded: "), e.getStatus().getDescription());
        invalid("image is missing: set image, or part for another modality", () -> h.blocking().caption(CaptionRequest.getDefaultInstance()));
        generate("prompt[1].image.data (3 bytes) is not a PNG or JPEG image", b -> b.addPrompt(Chunk.newBuilder()
                .setImage(ImageData.newBuilder().setData(ByteString.copyFromUtf8("abc")))));
    }

    @Test
    void badAnswerAndScoreRequests() {
        ImageData png = ImageDataCodec.encode(FakeModel.solid(2, 2, 0));
        invalid("question is empty", () -> h.blocking().answer(AnswerRequest.newBuilder().setImage(png).build()));
        invalid("set text or image: there is nothing to score",
                () -> h.blocking().score(ScoreRequest.getDefaultInstance()));
        invalid("text.text is empty: give the text to score", () -> h.blocking().score(ScoreRequest.newBuilder()
                .setText(TextScoreRequest.getDefaultInstance()).build()));
        invalid("image.image is missing", () -> h.blocking().score(ScoreRequest.newBuilder()
                .setImage(ImageScoreRequest.newBuilder().setCaption("c")).build()));
        invalid("image.timesteps: 1000 is outside 0..999", () -> h.blocking().score(ScoreRequest.newBuilder()
                .setImage(ImageScoreRequest.newBuilder().setImage(png).addTimesteps(10).addTimesteps(1000)).build()));
    }

    @Test
    void zeroSizeImages() throws IOException {
        // ImageIO refuses a zero dimension while reading the header; its reason is passed on
        caption("image.data cannot be decoded: I/O error reading PNG header! (Image width <= 0!)",
                ImageData.newBuilder().setData(TestImages.pngHeaderOnly(0, 0)).build());
        caption("image.data cannot be decoded: I/O error reading PNG header! (Image height <= 0!)",
                ImageData.newBuilder().setData(TestImages.pngHeaderOnly(7, 0)).build());
    }

    @Test
    void bytesThatAreNoRequestOrHoldInvalidUtf8() {
        // CaptionRequest{image: ImageData{mime_type: 0xff}}: a string field holding a byte that is no UTF-8
        invalid("the request is not a valid transfusion.v1.CaptionRequest: Protocol message had invalid UTF-8.",
                () -> RawCalls.unary(h.channel, "Caption", new byte[] {0x0a, 0x03, 0x12, 0x01, (byte) 0xff}));
        // GenerateRequest{prompt: [Chunk{text: 0xc3 0x28}]}: an invalid two-byte sequence in the prompt text
        invalid("the request is not a valid transfusion.v1.GenerateRequest: Protocol message had invalid UTF-8.",
                () -> RawCalls.serverStreaming(h.channel, "Generate",
                        new byte[] {0x0a, 0x04, 0x0a, 0x02, (byte) 0xc3, 0x28}));
        // a field header that promises 100 bytes where 1 follows
        invalid("the request is not a valid transfusion.v1.CaptionRequest: While parsing a protocol message, the "
                        + "input ended unexpectedly in the middle of a field.  This could mean either that the input "
                        + "has been truncated or that an embedded message misreported its own length.",
                () -> RawCalls.unary(h.channel, "Caption", new byte[] {0x0a, 100, 0x12}));
        assertEquals("fake", h.blocking().getModelInfo(GetModelInfoRequest.getDefaultInstance()).getName(),
                "still serving");
    }

    @Test
    void theServerRefusesAPartOfAModalityTheModelDoesNotRead() {
        try (TransfusionClient client = h.client()) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> client.generate(
                    Document.of(new ModalityPart("smell", new int[] {1}, new float[] {0})), GenerationOptions.DEFAULTS));
            assertEquals("prompt[0].part.modality 'smell' is not one the model reads; it reads [audio, depth, image, "
                    + "text]", e.getMessage());
        }
        assertEquals(0, h.model.generateCalls.get());
    }

    @Test
    void theJavaClientRaisesInvalidInputException() {
        try (TransfusionClient client = h.client()) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () ->
                    client.generate(Document.of(), GenerationOptions.DEFAULTS));
            assertEquals("prompt is empty: give at least one non-empty text or image chunk", e.getMessage());
        }
    }
}
