package dev.transfusion.plugins.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.spi.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** decode(encode(s)) == s for arbitrary strings, with a trained and with the GPT-2 vocabulary. */
class RoundTripTest {
    private static Tokenizer gpt2;
    private static Tokenizer trained;

    @BeforeAll
    static void load() {
        BpeTextPlugin plugin = new BpeTextPlugin();
        gpt2 = plugin.loadTokenizer(TestData.gpt2Dir());
        List<String> corpus = new ArrayList<>(TestData.corpus(7, 100_000));
        corpus.addAll(TestData.randomStrings(8, 300, 30)); // so merges also form inside non-Latin text
        trained = plugin.trainTokenizer(corpus, 1200, List.of());
    }

    @Test
    void randomUnicodeRoundTrips() {
        List<String> texts = TestData.randomStrings(42, 2000, 60);
        for (Tokenizer t : List.of(gpt2, trained)) {
            for (String text : texts) {
                int[] ids = t.encode(text);
                assertEquals(text, t.decode(ids), () -> "round trip of " + escape(text));
                assertTrue(ids.length <= text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            }
        }
    }

    @Test
    void fixedTextsRoundTripWithTheTrainedVocabulary() {
        for (String text : TestData.gpt2Texts()) {
            assertEquals(TestData.wellFormed(text), trained.decode(trained.encode(text)), () -> escape(text));
        }
    }

    @Test
    void everyScalarValueRoundTripsAlone() {
        for (Tokenizer t : List.of(gpt2, trained)) {
            StringBuilder all = new StringBuilder();
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
                if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                    continue;
                }
                String s = Character.toString(cp);
                if (cp % 97 == 0 || cp < 0x3000) {
                    int c = cp;
                    assertEquals(s, t.decode(t.encode(s)), () -> "U+" + Integer.toHexString(c));
                }
                all.appendCodePoint(cp);
                if (all.length() > 4000) {
                    String chunk = all.toString();
                    assertEquals(chunk, t.decode(t.encode(chunk)));
                    all.setLength(0);
                }
            }
        }
    }

    @Test
    void loneSurrogatesEncodeAsTheReplacementCharacter() {
        for (Tokenizer t : List.of(gpt2, trained)) {
            for (String text : List.of("\uD800", "a\uDC00b", "\uDBFF\uDBFF \uDFFF", "x\uD83D")) {
                assertArrayEquals(t.encode(TestData.wellFormed(text)), t.encode(text));
                assertEquals(TestData.wellFormed(text), t.decode(t.encode(text)));
            }
        }
    }

    @Test
    void wordsCoverTheTextExactly() {
        List<String> texts = new ArrayList<>(TestData.randomStrings(5, 1000, 40));
        texts.add("a\uD800b \uDC00 \uD83D");
        for (String text : texts) {
            StringBuilder joined = new StringBuilder();
            PreTokenizer.split(text, joined::append);
            assertEquals(text, joined.toString(), () -> escape(text));
        }
    }

    @Test
    void randomIdSequencesDecodeWithoutFailing() {
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            int[] ids = random.ints(random.nextInt(20), 0, gpt2.vocabSize()).toArray();
            String text = gpt2.decode(ids);
            // decoding may replace bytes by U+FFFD, but what it returns is well-formed and encodes again
            assertEquals(text, gpt2.decode(gpt2.encode(text)));
        }
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> sb.append(cp < 0x20 || cp > 0x7E ? String.format("\\u{%X}", cp)
                : Character.toString(cp)));
        return sb.toString();
    }

    @Test
    void tokenBytesConcatenateToTheEncodedText() {
        for (Tokenizer t : List.of(gpt2, trained)) {
            String text = "naïve café, 東京 ok";
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            for (int id : t.encode(text)) {
                bytes.writeBytes(t.tokenBytes(id));
            }
            assertEquals(text, bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
        Integer special = trained.specialTokenId(trained.specialTokens().get(0));
        org.junit.jupiter.api.Assertions.assertNull(trained.tokenBytes(special), "a special token has no text bytes");
        org.junit.jupiter.api.Assertions.assertNull(trained.tokenBytes(-1));
    }
}
