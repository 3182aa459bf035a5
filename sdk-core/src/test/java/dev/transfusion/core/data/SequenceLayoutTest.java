package dev.transfusion.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.PatchGeometry;
import dev.transfusion.api.spi.Tokenizer;
import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one sequence layout: documents, pairs, questions and prompts of any continuous modality. */
class SequenceLayoutTest {
    static final int BOS = 0, EOS = 1, BOI = 2, EOI = 3;
    static final Latent LATENT = new Latent(4, 2, 2, new float[16]);

    /** Each character becomes its code point minus 'a' plus 10. */
    static final Tokenizer LETTERS = new Tokenizer() {
        @Override
        public int[] encode(String text) {
            return text.chars().map(c -> c - 'a' + 10).toArray();
        }

        @Override
        public String decode(int[] ids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int vocabSize() {
            return 64;
        }

        @Override
        public List<String> specialTokens() {
            return List.of();
        }

        @Override
        public Integer specialTokenId(String token) {
            return null;
        }

        @Override
        public void save(Path directory) {
        }
    };

    static final LatentCodec CODEC = new LatentCodec() {
        @Override
        public Latent encode(Part part) {
            return LATENT;
        }

        @Override
        public Part decode(Latent latent) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int latentChannels() {
            return 4;
        }

        @Override
        public PatchGeometry geometry() {
            return new PatchGeometry(2);
        }
    };

    static final Cancellation NEVER = new Cancellation();
    /** An audio modality of its own tokens 5 and 6, a 1x2x4 latent in 1x2 patches. */
    static final ModalityConfig AUDIO = new ModalityConfig("audio", "0.1", new int[] {1, 2, 4}, new int[] {1, 2},
            "linear", 5, 6, 1.0, null);
    static final Latent CLIP = new Latent(1, 2, 4, new float[8]);

    static TransfusionConfig withAudio() {
        TransfusionConfig tiny = TransfusionConfig.preset("tiny");
        return tiny.withModalities(java.util.List.of(tiny.modalities().get(0), AUDIO));
    }

    @Test
    void textAndImagesBecomeTokenRunsAndLatents() {
        SequenceLayout layout = new SequenceLayout(TransfusionConfig.preset("tiny"));
        Map<String, LatentCodec> codecs = Map.of("image", CODEC);
        Document d = Document.builder().text("ab").image(RgbImage.blank(8, 8)).text("c").image(RgbImage.blank(8, 8)).build();
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, 10, 11, BOI), EncodedDocument.image(LATENT),
                EncodedDocument.tokens(EOI, 12, BOI), EncodedDocument.image(LATENT), EncodedDocument.tokens(EOI, EOS)),
                layout.document(d, LETTERS, codecs, true, NEVER));
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, 10, EOS)), layout.document(Document.text("a"),
                LETTERS, codecs, true, NEVER));
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, EOS)), layout.document(Document.of(), LETTERS,
                codecs, true, NEVER));
        // a prompt is not closed: the model continues it
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, 10)), layout.document(Document.text("a"),
                LETTERS, codecs, false, NEVER));
    }

    @Test
    void eachModalitysSpanSitsBetweenItsOwnTokens() {
        SequenceLayout layout = new SequenceLayout(withAudio());
        LatentCodec audio = new FixedCodec(CLIP);
        Document d = Document.builder().text("a").image(RgbImage.blank(8, 8))
                .part(new ModalityPart("audio", new int[] {8}, new float[8])).build();
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, 10, BOI), EncodedDocument.image(LATENT),
                EncodedDocument.tokens(EOI, 5), EncodedDocument.span("audio", CLIP, 0), EncodedDocument.tokens(6, EOS)),
                layout.document(d, LETTERS, Map.of("image", CODEC, "audio", audio), true, NEVER));
        int[] caption = {10, 11};
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, 10, 11, 5), EncodedDocument.span("audio", CLIP, 0),
                EncodedDocument.tokens(6, EOS)), layout.pair(caption, "audio", CLIP, SequenceLayout.PairLayout.CAPTION_FIRST));
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, 5), EncodedDocument.span("audio", CLIP, 500),
                EncodedDocument.tokens(6, 10, 11, EOS)), layout.pair(caption, "audio", CLIP, SequenceLayout.PairLayout.SPAN_FIRST));
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, 5), EncodedDocument.span("audio", CLIP, 500),
                EncodedDocument.tokens(6, 12, 13, EOS)), layout.question("audio", CLIP, new int[] {12}, new int[] {13}));
        assertArrayEquals(new int[] {BOS, 5}, layout.unconditionalPrefix("audio"));
        assertEquals("audio", layout.openedBy(5).name());
        assertEquals("image", layout.openedBy(BOI).name());
        assertNull(layout.openedBy(6));
        assertTrue(layout.isEnd(6) && layout.isEnd(EOI) && !layout.isEnd(5));
    }

    @Test
    void unsupportedPartsAreRefused() {
        SequenceLayout layout = new SequenceLayout(TransfusionConfig.preset("tiny"));
        var noCodec = assertThrows(InvalidInputException.class, () -> layout.document(
                Document.builder().image(RgbImage.blank(2, 2)).build(), LETTERS, Map.of(), true, NEVER));
        assertEquals("document has a 'image' part but no image codec was given", noCodec.getMessage());
        var unknown = assertThrows(InvalidInputException.class, () -> layout.document(
                Document.of(new ModalityPart("audio", new int[] {1}, new float[] {0})), LETTERS, Map.of("image", CODEC),
                true, NEVER));
        assertEquals("this model has no 'audio' modality; it has text and [image]", unknown.getMessage());
    }

    /** A codec that encodes every part to one latent. */
    record FixedCodec(Latent latent) implements LatentCodec {
        @Override
        public Latent encode(Part part) {
            return latent;
        }

        @Override
        public Part decode(Latent l) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int latentChannels() {
            return latent.channels();
        }

        @Override
        public PatchGeometry geometry() {
            return new PatchGeometry(1, 2);
        }
    }
}
