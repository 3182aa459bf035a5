package dev.transfusion.plugins.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.spi.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Token-for-token parity with the gpt-3-encoder reference (expected.json, made by make-expected.js). */
class Gpt2ParityTest {
    private static Tokenizer gpt2;

    @BeforeAll
    static void load() {
        gpt2 = new BpeTextPlugin().loadTokenizer(TestData.gpt2Dir());
    }

    @TestFactory
    Stream<DynamicTest> encodesLikeTheReference() {
        JsonNode expected = TestData.readJson(TestData.gpt2Dir().resolve("expected.json"));
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode e : expected) {
            String text = e.get("text").textValue();
            int[] ids = new int[e.get("ids").size()];
            Arrays.setAll(ids, i -> e.get("ids").get(i).intValue());
            String name = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            tests.add(DynamicTest.dynamicTest("parity: " + name.replaceAll("\\p{Cntrl}", "?"), () -> {
                assertArrayEquals(ids, gpt2.encode(text), () -> "ids of " + text);
                assertEquals(TestData.wellFormed(text), gpt2.decode(ids));
            }));
        }
        return tests.stream();
    }

    @Test
    void expectedIdsWereMadeFromTheCurrentTexts() {
        JsonNode expected = TestData.readJson(TestData.gpt2Dir().resolve("expected.json"));
        List<String> made = new ArrayList<>();
        expected.forEach(e -> made.add(e.get("text").textValue()));
        assertEquals(TestData.gpt2Texts(), made, "rerun make-expected.js after editing texts.json");
        assertTrue(made.size() >= 40);
    }

    @Test
    void gpt2VocabularyGetsTheDefaultSpecialTokensAppended() {
        assertEquals(50260, gpt2.vocabSize());
        assertEquals(List.of("<|endoftext|>", "<bos>", "<eos>", "<pad>"), gpt2.specialTokens());
        assertEquals(50256, gpt2.specialTokenId("<|endoftext|>"));
        List<String> defaults = BpeTextPlugin.DEFAULT_SPECIAL_TOKENS;
        for (int i = 0; i < defaults.size(); i++) {
            assertEquals(50257 + i, gpt2.specialTokenId(defaults.get(i)));
            assertEquals(defaults.get(i), gpt2.decode(new int[] {50257 + i}));
        }
        assertEquals(null, gpt2.specialTokenId("<unk>"));
        assertEquals("<|endoftext|>", gpt2.decode(new int[] {50256}));
    }

    @Test
    void aModalitysTokensAreAppendedAfterTheVocabularysOwn() {
        var withImages = gpt2.withSpecialTokens(List.of("<bos>", "<boi>", "<eoi>"));
        assertEquals(50262, withImages.vocabSize());
        assertEquals(50257, withImages.specialTokenId("<bos>"), "a token it has keeps its id");
        assertEquals(50260, withImages.specialTokenId("<boi>"));
        assertEquals(50261, withImages.specialTokenId("<eoi>"));
        assertEquals("<eoi>", withImages.decode(new int[] {50261}));
        assertArrayEquals(gpt2.encode("Hello world"), withImages.encode("Hello world"), "text encodes as before");
        assertSame(gpt2, gpt2.withSpecialTokens(List.of("<eos>")), "nothing to add: the same tokenizer");
    }

    @Test
    void specialTokenStringsAreEncodedAsPlainText() {
        for (String special : gpt2.specialTokens()) {
            int[] ids = gpt2.encode("a" + special + " " + special);
            for (int id : ids) {
                assertTrue(id < 50256, () -> special + " became id " + id);
            }
            assertEquals("a" + special + " " + special, gpt2.decode(ids));
        }
    }

    @Test
    void eachFileOfThePairLoadsTheSameTokenizer() {
        BpeTextPlugin plugin = new BpeTextPlugin();
        for (String file : List.of("encoder.json", "vocab.bpe")) {
            Tokenizer t = plugin.loadTokenizer(TestData.gpt2Dir().resolve(file));
            assertEquals(gpt2.vocabSize(), t.vocabSize());
            for (String text : TestData.gpt2Texts()) {
                assertArrayEquals(gpt2.encode(text), t.encode(text));
            }
        }
    }

    /**
     * U+0085 and U+FEFF are where JavaScript's {@code \s} differs from the Python regex module of OpenAI's
     * encoder.py. These ids come from encoder.py (they differ from gpt-3-encoder's, given in the comments).
     */
    @Test
    void whitespaceFollowsTheOriginalPythonEncoder() {
        assertArrayEquals(new int[] {64, 220, 126, 227, 65}, gpt2.encode("a \u0085b")); // JS: 64 1587 227 65
        assertArrayEquals(new int[] {87, 27332, 119, 123, 88}, gpt2.encode("x \uFEFFy")); // JS: 87 220 171 119 123 88
        assertArrayEquals(new int[] {437, 126, 227}, gpt2.encode("end\u0085"));
    }

    @Test
    void invalidUtf8DecodesToReplacementCharacters() {
        int[] emoji = gpt2.encode("\uD83D\uDE00"); // U+1F600, 4 bytes over more than one token
        assertTrue(emoji.length > 1);
        String half = gpt2.decode(new int[] {emoji[0]});
        assertFalse(half.isEmpty());
        assertTrue(half.chars().allMatch(c -> c == 0xFFFD), half);
        String swapped = gpt2.decode(new int[] {emoji[1], emoji[0]});
        assertTrue(swapped.chars().allMatch(c -> c == 0xFFFD), swapped);
        // every byte token alone: ASCII decodes to itself, any other byte to U+FFFD
        IntStream.range(0, 256).forEach(id -> {
            String s = gpt2.decode(new int[] {id});
            assertTrue(s.chars().allMatch(c -> c < 0x80 || c == 0xFFFD), s);
        });
    }

    @Test
    void decodeRefusesIdsOutsideTheVocabulary() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> gpt2.decode(new int[] {1, 50262}));
        assertTrue(e.getMessage().contains("ids[1] = 50262"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> gpt2.decode(new int[] {-1}));
    }

    @Test
    void emptyTextHasNoIds() {
        assertEquals(0, gpt2.encode("").length);
        assertEquals("", gpt2.decode(new int[0]));
    }
}
