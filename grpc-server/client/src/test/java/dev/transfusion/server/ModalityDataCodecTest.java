package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.Document;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.TextPart;
import dev.transfusion.server.v1.ModalityData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ModalityData to SDK parts and back without plugins, and the MIME types of plugin formats. */
class ModalityDataCodecTest {

    @Test
    void aModalityPartRoundTripsThroughRawValues() {
        ModalityPart p = new ModalityPart("audio", new int[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-7f, 6});
        ModalityData d = ModalityDataCodec.raw(p);
        assertEquals(List.of(2, 3), d.getShapeList());
        assertEquals(p, ModalityDataCodec.toPart(d, "x"));
        Document doc = Document.of(new TextPart("hear"), p);
        assertEquals(doc, PromptChunks.toDocument(PromptChunks.fromDocument(doc), "prompt", false));
    }

    @Test
    void mimeTypesMapToThePluginsExtensions() {
        assertEquals("audio/wav", ModalityDataCodec.mimeOf("WAV"));
        assertEquals("application/x-curve", ModalityDataCodec.mimeOf("curve"));
        assertEquals("wav", ModalityDataCodec.extensionOf("", List.of("wav"), "audio", "part"));
        assertEquals("wav", ModalityDataCodec.extensionOf("audio/x-wav", List.of("wav"), "audio", "part"));
        assertEquals("wav", ModalityDataCodec.extensionOf("Audio/Wave", List.of("wav"), "audio", "part"));
        assertEquals("part.mime_type 'image/png' is not a format the 'audio' plugin reads; it reads [audio/wav]",
                assertThrows(InvalidInputException.class,
                        () -> ModalityDataCodec.extensionOf("image/png", List.of("wav"), "audio", "part")).getMessage());
    }

    @Test
    void aShapeWhoseProductOverflowsIsRefusedNotWrapped() {
        // 65536^4 is 2^64: a plain long product wraps to 0
        ModalityData d = ModalityData.newBuilder().setModality("audio").addShape(65536).addShape(65536)
                .addShape(65536).addShape(65536).addValues(1).build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModalityDataCodec.toPart(d, "p"));
        assertEquals("p.shape [65536, 65536, 65536, 65536] needs more than 2147483647 values, p.values has 1",
                e.getMessage());
    }

    @Test
    void encodedBytesOfAnotherModalityNeedItsPlugin() {
        ModalityData d = ModalityDataCodec.encoded("audio", new byte[] {1, 2}, "audio/wav");
        assertEquals("GenerateEvent.part holds audio/wav bytes of 'audio', which only that modality's plugin reads; "
                + "ask for raw values (GenerateRequest.raw_parts)", assertThrows(InvalidInputException.class,
                () -> ModalityDataCodec.toPart(d, "GenerateEvent.part")).getMessage());
    }
}
