package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.server.ServerHarness.Transport;
import dev.transfusion.server.v1.AnswerRequest;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.ModalityData;
import dev.transfusion.server.v1.Mode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad parts of other modalities (ModalityData) fail with INVALID_ARGUMENT naming the field, and never reach
 * the model: an unknown modality, values that do not fit their shape, bytes or values over the limits, bytes
 * the plugin cannot read, both or neither of bytes and values.
 */
class InvalidPartTest {
    private static ServerHarness h;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        // small limits, so that a request over them stays small
        h = ServerHarness.start(Transport.IN_PROCESS, new FakeModel(0, 0),
                b -> b.payloadLimits(new PayloadLimits(20_000, 10_000)));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @BeforeEach
    void reset() {
        h.model.generateCalls.set(0);
    }

    private static void invalid(String message, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(message, e.getStatus().getDescription());
        assertEquals(0, h.model.generateCalls.get(), "a bad request never reaches the model");
    }

    /** Generate with {@code part} as the prompt's second chunk, after some text. */
    private static void prompt(String message, ModalityData.Builder part) {
        invalid(message, () -> h.blocking().generate(GenerateRequest.newBuilder()
                .addPrompt(Chunk.newBuilder().setText("hear this"))
                .addPrompt(Chunk.newBuilder().setPart(part)).build()).forEachRemaining(x -> { }));
    }

    private static ModalityData.Builder raw(String modality, int[] shape, float... values) {
        ModalityData.Builder b = ModalityData.newBuilder().setModality(modality);
        for (int d : shape) {
            b.addShape(d);
        }
        for (float v : values) {
            b.addValues(v);
        }
        return b;
    }

    private static ModalityData.Builder wav(ByteString bytes) {
        return ModalityData.newBuilder().setModality("audio").setData(bytes).setMimeType("audio/wav");
    }

    @Test
    void modalityMustBeOneTheModelReads() {
        prompt("prompt[1].part.modality 'smell' is not one the model reads; it reads [audio, depth, image, text]",
                raw("smell", new int[] {1}, 0));
        prompt("prompt[1].part.modality is empty: name the part's modality (\"audio\", ...)",
                raw("", new int[] {1}, 0));
        prompt("prompt[1].part.modality is 'text': send text as a text chunk", raw("text", new int[] {1}, 0));
        invalid("modality 'smell' is not a continuous modality the model draws; it reads [audio, depth, image, text]",
                () -> h.blocking().generate(GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder().setText("x"))
                        .setMode(Mode.MODE_IMAGE).setModality("smell").build()).forEachRemaining(x -> { }));
    }

    @Test
    void valuesMustFitTheirShape() {
        prompt("prompt[1].part.shape [2, 3] needs 6 values, prompt[1].part.values has 5",
                raw("audio", new int[] {2, 3}, 1, 2, 3, 4, 5));
        prompt("prompt[1].part.shape[1] must be positive, got 0", raw("audio", new int[] {2, 0}));
        prompt("prompt[1].part.shape is empty: raw values need their shape", raw("audio", new int[0], 1, 2));
        prompt("prompt[1].part.values[1] is NaN; values must be finite", raw("audio", new int[] {2}, 1, Float.NaN));
        prompt("prompt[1].part: an image part is sent encoded (data with mime_type image/png or image/jpeg), not as "
                + "values", raw("image", new int[] {1, 1, 3}, 0, 0, 0));
    }

    @Test
    void bytesAndValuesAreOneOrTheOther() {
        prompt("prompt[1].part sets both data and values; send one: encoded data with its mime_type, or raw shape "
                + "and values", raw("audio", new int[] {1}, 0).setData(ByteString.copyFromUtf8("RIFF")));
        prompt("prompt[1].part has neither data nor values; send encoded data with its mime_type, or raw shape and "
                + "values", ModalityData.newBuilder().setModality("audio"));
        prompt("prompt[1].part.data is empty (mime_type audio/wav)",
                ModalityData.newBuilder().setModality("audio").setMimeType("audio/wav"));
    }

    @Test
    void bytesAndValuesOverTheLimits() {
        prompt("prompt[1].part.data holds 20001 bytes, which takes the request's encoded parts to 20001 bytes, over "
                + "the limit of 20000", wav(ByteString.copyFrom(new byte[20_001])));
        float[] many = new float[10_001];
        prompt("prompt[1].part.values holds 10001 values, which takes the request's raw parts to 10001 values, over "
                + "the limit of 10000", raw("audio", new int[] {many.length}, many));
        // the limits are per request: two parts within them one by one, over them together
        float[] half = new float[6_000];
        invalid("prompt[1].part.values holds 6000 values, which takes the request's raw parts to 12000 values, over "
                + "the limit of 10000", () -> h.blocking().generate(GenerateRequest.newBuilder()
                .addPrompt(Chunk.newBuilder().setPart(raw("audio", new int[] {half.length}, half)))
                .addPrompt(Chunk.newBuilder().setPart(raw("audio", new int[] {half.length}, half))).build())
                .forEachRemaining(x -> { }));
    }

    @Test
    void bytesThePluginCannotRead() throws IOException {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> h.blocking().generate(
                GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder().setPart(wav(ByteString.copyFromUtf8(
                        "hello, not a wav")))).build()).forEachRemaining(x -> { }));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        String d = e.getStatus().getDescription();
        assertTrue(d.startsWith("prompt[0].part.data cannot be decoded as audio/wav: "), d);
        assertTrue(!d.contains("transfusion-part-"), "names the field, not the server's temporary file: " + d);
        // a WAV the plugin reads, but of 0.1 s where the modality takes 1 s clips: its reason, naming the field
        ModalityPart short_ = new ModalityPart("audio", new int[] {800}, new float[800]);
        StatusRuntimeException s = assertThrows(StatusRuntimeException.class, () -> h.blocking().caption(
                CaptionRequest.newBuilder().setPart(wav(ByteString.copyFrom(ModalityPartsTest.wav(short_, dir)))).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getStatus().getCode());
        assertTrue(s.getStatus().getDescription().startsWith("part.data cannot be decoded as audio/wav: WAV file "
                + "part.data holds 800 samples"), s.getStatus().getDescription());
        assertEquals(0, h.model.generateCalls.get());
    }

    @Test
    void formatsThePluginDoesNotRead() {
        prompt("prompt[1].part.mime_type 'audio/mpeg' is not a format the 'audio' plugin reads; it reads [audio/wav]",
                wav(ByteString.copyFromUtf8("ID3")).setMimeType("audio/mpeg"));
        prompt("prompt[1].part.data: the server has no plugin that reads 'depth' files; send the part as raw shape "
                + "and values", ModalityData.newBuilder().setModality("depth").setData(ByteString.copyFromUtf8("x")));
        prompt("prompt[1].part.data (5 bytes) is not a PNG or JPEG image", ModalityData.newBuilder()
                .setModality("image").setData(ByteString.copyFromUtf8("hello")));
    }

    @Test
    void captionAndAnswerTakeOneSubject() {
        ModalityData clip = raw("audio", new int[] {1}, 0).build();
        invalid("image and part are both set; send one of them", () -> h.blocking().caption(CaptionRequest.newBuilder()
                .setImage(ImageDataCodec.encode(FakeModel.solid(2, 2, 0))).setPart(clip).build()));
        invalid("part.shape [3] needs 3 values, part.values has 1", () -> h.blocking().answer(AnswerRequest
                .newBuilder().setQuestion("q").setPart(raw("audio", new int[] {3}, 0)).build()));
        invalid("part.modality 'smell' is not one the model reads; it reads [audio, depth, image, text]",
                () -> h.blocking().caption(CaptionRequest.newBuilder().setPart(raw("smell", new int[] {1}, 0))
                        .build()));
    }
}
