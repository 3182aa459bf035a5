package dev.transfusion.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.Document;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.PatchGeometry;
import dev.transfusion.api.spi.Tokenizer;
import dev.transfusion.core.TransfusionConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Interleaved documents to token runs and latents. */
class DocumentEncoderTest {
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

    @Test
    void textAndImagesBecomeTokenRunsAndLatents() {
        DocumentEncoder enc = new DocumentEncoder(TransfusionConfig.preset("tiny"), LETTERS, CODEC);
        Document d = Document.builder().text("ab").image(RgbImage.blank(8, 8)).text("c").image(RgbImage.blank(8, 8)).build();
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, 10, 11, BOI), EncodedDocument.image(LATENT),
                EncodedDocument.tokens(EOI, 12, BOI), EncodedDocument.image(LATENT), EncodedDocument.tokens(EOI, EOS)),
                enc.encode(d));
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, 10, EOS)), enc.encode(Document.text("a")));
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, EOS)), enc.encode(Document.of()));
    }

    @Test
    void unsupportedPartsAreRefused() {
        DocumentEncoder textOnly = new DocumentEncoder(TransfusionConfig.preset("tiny"), LETTERS, null);
        assertThrows(InvalidInputException.class, () -> textOnly.encode(Document.builder().image(RgbImage.blank(2, 2)).build()));
        assertThrows(InvalidInputException.class, () -> textOnly.encode(
                Document.of(new ModalityPart("audio", new int[] {1}, new float[] {0}))));
    }
}
