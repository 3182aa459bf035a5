package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.transfusion.api.Cancellation;
import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.Mode;
import dev.transfusion.api.Part;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.server.ServerHarness.Transport;
import dev.transfusion.server.v1.AnswerRequest;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.GetModelInfoRequest;
import dev.transfusion.server.v1.ModalityData;
import dev.transfusion.server.v1.Modality;
import dev.transfusion.server.v1.ModelInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parts of modalities other than text and image over gRPC (ModalityData): generated audio and images reach
 * the client in order, audio sent in a request reaches the model as a ModalityPart, and captions, answers,
 * progress and ModelInfo name the modality. The audio plugin on the server's class path (plugins/audio) reads
 * and writes the WAV bytes.
 */
class ModalityPartsTest {
    private static ServerHarness h;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        h = ServerHarness.start(Transport.IN_PROCESS, new FakeModel(0, 0));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @BeforeEach
    void reset() {
        h.model.generateCalls.set(0);
    }

    static ContinuousModalityPlugin audio() {
        return Transfusion.registry().continuous("audio");
    }

    /** {@code part} as the audio plugin writes it: a 16-bit PCM WAV file. */
    static byte[] wav(ModalityPart part, Path in) throws IOException {
        Path f = Files.createTempFile(in, "clip", ".wav");
        audio().writeFile(f, part);
        return Files.readAllBytes(f);
    }

    /** {@code bytes} read back by the audio plugin. */
    static ModalityPart readWav(ByteString bytes, Path in) throws IOException {
        Path f = Files.createTempFile(in, "back", ".wav");
        Files.write(f, bytes.toByteArray());
        return (ModalityPart) audio().readFile(f);
    }

    private static void assertCloseTo(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-3, "sample " + i);   // 16-bit PCM quantisation
        }
    }

    private static List<GenerateEvent> generate(GenerateRequest r) {
        List<GenerateEvent> events = new ArrayList<>();
        h.blocking().generate(r).forEachRemaining(events::add);
        return events;
    }

    private static String kind(GenerateEvent e) {
        return switch (e.getEventCase()) {
            case TEXT -> "text:" + e.getText().getText();
            case PROGRESS -> "progress:" + e.getProgress().getModality() + ":" + e.getProgress().getImageIndex();
            case IMAGE -> "image:" + e.getImage().getMimeType();
            case PART -> "part:" + e.getPart().getModality() + ":" + e.getPart().getMimeType();
            case FINISHED -> "finished";
            case EVENT_NOT_SET -> "?";
        };
    }

    @Test
    void generatedAudioAndImageReachTheStreamInOrderAudioAsWav() throws IOException {
        List<GenerateEvent> events = generate(GenerateRequest.newBuilder()
                .addPrompt(Chunk.newBuilder().setText("sing a tone and draw"))
                .setDiffusion(dev.transfusion.server.v1.Diffusion.newBuilder().setSteps(2)).build());
        // progress live; then the parts in order, and the text held back after them in one delta
        assertEquals(List.of("progress:audio:0", "progress:audio:0", "progress:image:1", "progress:image:1",
                "part:audio:audio/wav", "image:image/png", "text: here it is", "finished"),
                events.stream().map(ModalityPartsTest::kind).toList());
        ModalityData part = events.get(4).getPart();
        assertEquals(0, part.getValuesCount(), "encoded, not raw");
        assertCloseTo(FakeModel.tone().values(), readWav(part.getData(), dir).values());
    }

    @Test
    void rawPartsComeAsValuesWithTheirShape() {
        List<GenerateEvent> events = generate(GenerateRequest.newBuilder()
                .addPrompt(Chunk.newBuilder().setText("sing a tone")).setRawParts(true).build());
        ModalityData part = events.stream().filter(GenerateEvent::hasPart).findFirst().orElseThrow().getPart();
        assertEquals("audio", part.getModality());
        assertTrue(part.getData().isEmpty());
        assertEquals(List.of(8000), part.getShapeList());
        assertEquals(ModalityDataCodec.raw(FakeModel.tone()), part);
    }

    @Test
    void aPartNoPluginWritesIsSentRawNotDropped() {
        List<GenerateEvent> events = generate(GenerateRequest.newBuilder()
                .addPrompt(Chunk.newBuilder().setText("a depth map")).build());
        ModalityData part = events.stream().filter(GenerateEvent::hasPart).findFirst().orElseThrow().getPart();
        assertEquals("depth", part.getModality());
        assertEquals(List.of(2, 3), part.getShapeList());
        assertEquals(List.of(1f, 2f, 3f, 4f, 5f, 6f), part.getValuesList());
    }

    @Test
    void aPartItsPluginCannotWriteIsSentRawNotDropped() {
        List<GenerateEvent> events = generate(GenerateRequest.newBuilder()
                .addPrompt(Chunk.newBuilder().setText("a broken tone")).build());
        ModalityData part = events.stream().filter(GenerateEvent::hasPart).findFirst().orElseThrow().getPart();
        assertEquals("audio", part.getModality());
        assertEquals("", part.getMimeType(), "the WAV writer refused a 2x3 clip: raw values instead");
        assertEquals(List.of(2, 3), part.getShapeList());
        assertEquals(6, part.getValuesCount());
    }

    @Test
    void aCancelledCaptionIsNotSent() {
        Cancellation c = new Cancellation();
        c.cancel();
        try (TransfusionClient client = h.client()) {
            assertThrows(java.util.concurrent.CancellationException.class, () -> client.caption(
                    new ModalityPart("audio", new int[] {1}, new float[] {0}), GenerationOptions.DEFAULTS, c));
        }
        assertEquals(0, h.model.generateCalls.get());
    }

    @Test
    void theJavaClientGetsModalityPartImagePartAndTextInOrder() {
        List<String> steps = new ArrayList<>();
        try (TransfusionClient client = h.client()) {
            GenerationResult r = client.generate(Document.text("sing a tone and draw"),
                    GenerationOptions.builder().diffusionSteps(1).build(), new GenerationListener() {
                        @Override
                        public void onDiffusionStep(DiffusionStep step) {
                            steps.add(step.modality() + ":" + step.imageIndex());
                        }
                    }, new Cancellation());
            List<Part> parts = r.parts();
            assertEquals(3, parts.size(), parts.toString());
            assertEquals(FakeModel.tone(), parts.get(0), "raw values: exactly the model's part");
            assertInstanceOf(ImagePart.class, parts.get(1));
            assertEquals(new TextPart(" here it is"), parts.get(2));
            assertEquals(List.of(FakeModel.tone()), r.parts("audio"));
        }
        assertEquals(List.of("audio:0", "image:1"), steps);
    }

    @Test
    void theRequestedModalityIsTheOneDrawn() {
        try (TransfusionClient client = h.client()) {
            GenerationResult r = client.generate(Document.text("a sound"),
                    GenerationOptions.builder().mode(Mode.IMAGE).modality("audio").diffusionSteps(1).build());
            assertEquals(List.of(FakeModel.tone()), r.parts("audio"));
            assertEquals(List.of(), r.images());
        }
    }

    @Test
    void wavBytesInAPromptReachTheModelAsAModalityPart() throws IOException {
        ModalityPart tone = FakeModel.tone();
        generate(GenerateRequest.newBuilder()
                .addPrompt(Chunk.newBuilder().setPart(ModalityDataCodec.encoded("audio", wav(tone, dir), "audio/wav")))
                .addPrompt(Chunk.newBuilder().setText("what is it")).build());
        Part received = h.model.lastPrompt.parts().get(0);
        ModalityPart audio = assertInstanceOf(ModalityPart.class, received);
        assertEquals("audio", audio.modality());
        assertArrayEquals(new int[] {8000}, audio.shape());
        assertCloseTo(tone.values(), audio.values());
        assertEquals(new TextPart("what is it"), h.model.lastPrompt.parts().get(1));
    }

    @Test
    void rawValuesFromTheJavaClientReachTheModelUnchanged() {
        ModalityPart clip = new ModalityPart("audio", new int[] {2, 2}, new float[] {0.5f, -1, 0, 3});
        try (TransfusionClient client = h.client()) {
            client.generate(Document.of(clip, new TextPart("hear")), GenerationOptions.DEFAULTS);
        }
        assertEquals(List.of(clip, new TextPart("hear")), h.model.lastPrompt.parts());
    }

    @Test
    void captionAndAnswerTakeAPartOfAnyModality() throws IOException {
        ModalityData encoded = ModalityDataCodec.encoded("audio", wav(FakeModel.tone(), dir), "audio/wav");
        assertEquals("a audio part of 8000 values",
                h.blocking().caption(CaptionRequest.newBuilder().setPart(encoded).build()).getText());
        assertEquals("answer about audio: how high",
                h.blocking().answer(AnswerRequest.newBuilder().setPart(encoded).setQuestion("how high").build())
                        .getText());
        ModalityPart clip = new ModalityPart("audio", new int[] {3}, new float[] {1, 2, 3});
        try (TransfusionClient client = h.client()) {
            assertEquals("a audio part of 3 values", client.caption(clip, GenerationOptions.DEFAULTS,
                    new Cancellation()));
            assertEquals("answer about audio: loud?", client.answer(clip, "loud?", GenerationOptions.DEFAULTS,
                    new Cancellation()));
            assertEquals(List.of(clip, new TextPart("loud?")), h.model.lastPrompt.parts());
            assertEquals("a red square 2x2", client.caption(new ImagePart(FakeModel.solid(2, 2, 0xff0000)),
                    GenerationOptions.DEFAULTS, new Cancellation()), "an image as a part is decoded as an image");
        }
    }

    @Test
    void modelInfoListsEachModalityWithItsShapes() {
        ModelInfo info = h.blocking().getModelInfo(GetModelInfoRequest.getDefaultInstance());
        Modality audio = info.getModalitiesList().stream().filter(m -> m.getName().equals("audio")).findFirst()
                .orElseThrow();
        assertEquals(List.of(1, 32, 64), audio.getLatentShapeList());
        assertEquals(List.of(4, 8), audio.getPatchList());
        Modality text = info.getModalitiesList().stream().filter(m -> m.getName().equals("text")).findFirst()
                .orElseThrow();
        assertEquals(List.of(), text.getLatentShapeList());
        try (TransfusionClient client = h.client()) {
            assertEquals("1x32x64", client.info().config().get("audio.latent"));
            assertEquals("4x8", client.info().config().get("audio.patch"));
        }
    }
}
