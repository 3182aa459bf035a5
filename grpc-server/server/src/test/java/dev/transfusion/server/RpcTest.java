package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImageScore;
import dev.transfusion.api.Mode;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextScore;
import dev.transfusion.server.ServerHarness.Transport;
import dev.transfusion.server.v1.AnswerRequest;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.Diffusion;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.GetModelInfoRequest;
import dev.transfusion.server.v1.ImageData;
import dev.transfusion.server.v1.ImageScoreRequest;
import dev.transfusion.server.v1.ScoreRequest;
import dev.transfusion.server.v1.ScoreResponse;
import dev.transfusion.server.v1.Sampling;
import dev.transfusion.server.v1.TextScoreRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every RPC, over the in-process transport and over Netty on loopback, with raw stubs and the Java client. */
class RpcTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void generateStreamsTextThenFinished(Transport transport) throws Exception {
        try (ServerHarness h = ServerHarness.start(transport, new FakeModel(0, 0))) {
            List<GenerateEvent> events = new ArrayList<>();
            h.blocking().generate(GenerateRequest.newBuilder()
                    .addPrompt(Chunk.newBuilder().setText("hello there"))
                    .setSampling(Sampling.newBuilder().setSeed(7)).build()).forEachRemaining(events::add);
            StringBuilder text = new StringBuilder();
            events.stream().filter(GenerateEvent::hasText).forEach(e -> text.append(e.getText().getText()));
            assertEquals("echo: hello there", text.toString());
            GenerateEvent last = events.get(events.size() - 1);
            assertTrue(last.hasFinished(), "Finished comes last");
            assertEquals("end_of_sequence", last.getFinished().getFinishReason());
            assertEquals(3, last.getFinished().getGeneratedTokens());
            assertEquals(7, last.getFinished().getSeed());
            assertEquals(11, last.getFinished().getPromptTokens());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void imageStreamsProgressThenImageThenTextThenFinished(Transport transport) throws Exception {
        try (ServerHarness h = ServerHarness.start(transport, new FakeModel(0, 0))) {
            Iterator<GenerateEvent> it = h.blocking().generate(GenerateRequest.newBuilder()
                    .addPrompt(Chunk.newBuilder().setText("a red circle"))
                    .setMode(dev.transfusion.server.v1.Mode.MODE_IMAGE)
                    .setSampling(Sampling.newBuilder().setSeed(0xff0000))
                    .setDiffusion(Diffusion.newBuilder().setSteps(5).setSampler("ddim")).build());
            List<GenerateEvent> events = new ArrayList<>();
            it.forEachRemaining(events::add);
            List<String> kinds = events.stream().map(e -> e.getEventCase().name()).toList();
            assertEquals(List.of("PROGRESS", "PROGRESS", "PROGRESS", "PROGRESS", "PROGRESS", "IMAGE", "TEXT",
                    "FINISHED"), kinds);
            for (int k = 0; k < 5; k++) {
                assertEquals(k + 1, events.get(k).getProgress().getStep());
                assertEquals(5, events.get(k).getProgress().getTotalSteps());
            }
            ImageData image = events.get(5).getImage();
            assertEquals("image/png", image.getMimeType());
            RgbImage decoded = ImageDataCodec.decode(image, "image");
            assertEquals(FakeModel.solid(4, 4, 0xff0000), decoded);
            assertEquals(" here it is", events.get(6).getText().getText());
            assertEquals(1, events.get(7).getFinished().getImages());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void captionAnswerScoreAndInfo(Transport transport) throws Exception {
        try (ServerHarness h = ServerHarness.start(transport, new FakeModel(0, 0))) {
            ImageData png = ImageDataCodec.encode(FakeModel.solid(6, 3, 0x00ff00));
            assertEquals("a red square 6x3",
                    h.blocking().caption(CaptionRequest.newBuilder().setImage(png).build()).getText());
            assertEquals("answer: what colour?", h.blocking().answer(AnswerRequest.newBuilder().setImage(png)
                    .setQuestion("what colour?").build()).getText());

            ScoreResponse text = h.blocking().score(ScoreRequest.newBuilder().setText(TextScoreRequest.newBuilder()
                    .addContext(Chunk.newBuilder().setText("context")).setText("abc")).build());
            assertEquals(List.of(97, 98, 99), text.getText().getTokenIdsList());
            assertEquals(-1.5, text.getText().getTotalLogProb(), 1e-9);

            ScoreResponse image = h.blocking().score(ScoreRequest.newBuilder().setImage(ImageScoreRequest.newBuilder()
                    .setCaption("green").setImage(png)).build());
            assertEquals(List.of(100, 300, 500, 700, 900), image.getImage().getTimestepsList(),
                    "no timesteps: the defaults");
            assertEquals(0.5, image.getImage().getMeanLoss(), 1e-9);

            dev.transfusion.server.v1.ModelInfo info = h.blocking().getModelInfo(GetModelInfoRequest.getDefaultInstance());
            assertEquals("fake", info.getName());
            assertEquals(1234, info.getParameterCount());
            assertEquals(128, info.getMaxSequenceLength());
            assertEquals(4, info.getImageSize());
            assertEquals(4, info.getModalitiesCount(), "text, image, audio and depth");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void javaClientMirrorsTheModelApi(Transport transport) throws Exception {
        try (ServerHarness h = ServerHarness.start(transport, new FakeModel(0, 0));
             TransfusionClient client = h.client()) {
            List<String> tokens = new ArrayList<>();
            List<Integer> steps = new ArrayList<>();
            GenerationResult r = client.generate(Document.text("draw"), GenerationOptions.builder()
                            .diffusionSteps(3).seed(0x0000ffL).build(),
                    new GenerationListener() {
                        @Override
                        public void onToken(int tokenId, String text) {
                            tokens.add(text);
                        }

                        @Override
                        public void onDiffusionStep(dev.transfusion.api.DiffusionStep step) {
                            steps.add(step.step());
                        }
                    }, new Cancellation());
            assertEquals(List.of(1, 2, 3), steps);
            assertEquals(List.of(" here it is"), tokens, "text after an image arrives with the image");
            assertEquals(List.of(FakeModel.solid(4, 4, 0x0000ff)), r.images());
            assertEquals(" here it is", r.text());
            assertEquals(FinishReason.END_OF_SEQUENCE, r.finishReason());
            assertEquals(0x0000ffL, r.usage().seed());

            GenerationResult stopped = client.generate(Document.text("one two"),
                    GenerationOptions.builder().mode(Mode.TEXT).stop(List.of("two")).build());
            assertEquals("echo: one ", stopped.text());
            assertEquals(FinishReason.STOP_STRING, stopped.finishReason());

            GenerationResult async = client.generateAsync(Document.text("async"), GenerationOptions.DEFAULTS,
                    GenerationListener.NONE).get(20, TimeUnit.SECONDS);
            assertEquals("echo: async", async.text());

            RgbImage img = FakeModel.solid(2, 2, 0x123456);
            assertEquals("a red square 2x2", client.caption(img, GenerationOptions.DEFAULTS));
            assertEquals("answer: why?", client.answer(img, "why?", GenerationOptions.DEFAULTS));
            TextScore ts = client.scoreText(Document.text("ctx"), "hi");
            assertArrayEquals(new int[] {'h', 'i'}, ts.tokenIds());
            ImageScore is = client.scoreImage("c", img, new int[] {10, 20}, 1);
            assertArrayEquals(new double[] {1.01, 1.02}, is.losses(), 1e-9);
            ModelInfo info = client.info();
            assertEquals("fake", info.name());
            assertEquals("128", info.config().get("max_length"));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void jpegPromptsAreAccepted(Transport transport) throws Exception {
        try (ServerHarness h = ServerHarness.start(transport, new FakeModel(0, 0))) {
            ByteString jpeg = TestImages.jpeg(8, 5);
            assertEquals("a red square 8x5", h.blocking().caption(CaptionRequest.newBuilder()
                    .setImage(ImageData.newBuilder().setData(jpeg).setMimeType("image/jpeg")).build()).getText());
            assertEquals("a red square 8x5", h.blocking().caption(CaptionRequest.newBuilder()
                    .setImage(ImageData.newBuilder().setData(jpeg)).build()).getText(), "mime type sniffed");
        }
    }
}
