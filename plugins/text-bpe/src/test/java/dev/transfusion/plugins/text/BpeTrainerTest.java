package dev.transfusion.plugins.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.spi.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training: special token ids, exact vocabulary size, what gets merged, determinism, refusals, speed. */
class BpeTrainerTest {
    private static final List<String> CORPUS = TestData.corpus(11, 200_000);

    @Test
    void specialTokensComeFirstInTheGivenOrderThenTheMissingDefaults() {
        Tokenizer t = BpeTrainer.train(CORPUS, 400, List.of("<mask>", "<eos>", "<sep>"));
        List<String> expected = List.of("<mask>", "<eos>", "<sep>", "<bos>", "<pad>");
        assertEquals(expected, t.specialTokens());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(i, t.specialTokenId(expected.get(i)));
            assertEquals(expected.get(i), t.decode(new int[] {i}));
        }
        // then the 256 byte tokens, byte b at k + b
        int k = expected.size();
        assertEquals("a", t.decode(new int[] {k + 'a'}));
        assertEquals(" ", t.decode(new int[] {k + ' '}));
        assertEquals("\uFFFD", t.decode(new int[] {k + 0xC3}));
    }

    @Test
    void noTokenStandsForMoreBytesThanMaxTokenBytes() {
        BpeTokenizer t = BpeTrainer.train(CORPUS, 600, List.of());
        int longest = 0;
        for (int id = 0; id < t.vocabSize(); id++) {
            longest = Math.max(longest, t.decode(new int[] {id}).getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        assertEquals(longest, t.maxTokenBytes());
        assertTrue(longest > 3, "merges make multi-byte tokens: " + longest);
        for (String text : CORPUS) {
            int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            assertTrue(t.encode(text).length * (long) t.maxTokenBytes() >= bytes, text);
        }
    }

    @Test
    void defaultSpecialTokensWhenNoneAreGiven() {
        Tokenizer t = new BpeTextPlugin().trainTokenizer(CORPUS, 300, List.of());
        assertEquals(BpeTextPlugin.DEFAULT_SPECIAL_TOKENS, t.specialTokens());
        assertEquals(0, t.specialTokenId("<bos>"));
        assertEquals(2, t.specialTokenId("<pad>"));
    }

    @Test
    void vocabularyHasExactlyTheAskedSize() {
        for (int size : new int[] {259, 260, 500, 1000}) {
            BpeTokenizer t = BpeTrainer.train(CORPUS, size, List.of());
            assertEquals(size, t.vocabSize());
            assertEquals(size - 259, t.mergeCount());
            for (int id = 0; id < size; id++) {
                t.decode(new int[] {id}); // every id is assigned
            }
        }
    }

    @Test
    void frequentWordsBecomeSingleTokens() {
        Tokenizer t = BpeTrainer.train(CORPUS, 1000, List.of());
        for (String word : List.of("the", " the", " of", " and", " hello", " transfusion", " tokenizer")) {
            assertEquals(1, t.encode(word).length, () -> "'" + word + "' is not one token");
        }
        int[] sentence = t.encode("the transfusion tokenizer");
        assertEquals(3, sentence.length);
        assertTrue(t.encode("xqzvj").length > 1);
    }

    @Test
    void trainingIsDeterministicAndIgnoresTextOrder(@TempDir Path dir) throws IOException {
        BpeTrainer.train(CORPUS, 800, List.of("<x>")).save(dir.resolve("a"));
        BpeTrainer.train(CORPUS, 800, List.of("<x>")).save(dir.resolve("b"));
        List<String> shuffled = new ArrayList<>(CORPUS);
        Collections.shuffle(shuffled, new Random(1));
        BpeTrainer.train(shuffled, 800, List.of("<x>")).save(dir.resolve("c"));
        String a = Files.readString(dir.resolve("a/tokenizer.json"));
        assertEquals(a, Files.readString(dir.resolve("b/tokenizer.json")));
        assertEquals(a, Files.readString(dir.resolve("c/tokenizer.json")));
    }

    @Test
    void vocabularySmallerThanBytesAndSpecialsIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> BpeTrainer.train(CORPUS, 258, List.of()));
        assertTrue(e.getMessage().contains("vocabSize is 258; expected at least 259"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> BpeTrainer.train(CORPUS, 259, List.of("<a>")));
        assertTrue(e.getMessage().contains("at least 260"), e.getMessage());
    }

    @Test
    void vocabularyLargerThanTheTextsSupportIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> BpeTrainer.train(List.of("ab ab abc"), 300, List.of()));
        assertTrue(e.getMessage().contains("vocabSize is 300 but the texts only support"), e.getMessage());
        // the words "ab", " ab", " abc" allow three merges: a+b, space+ab, space-ab+c
        assertEquals(259 + 3, BpeTrainer.train(List.of("ab ab abc"), 262, List.of()).vocabSize());
    }

    @Test
    void upToAVocabularySizeStopsWhereTheTextsDo() {
        // the three merges "ab ab abc" allows, not the 300 asked for; the same merges as asking for 262
        BpeTokenizer capped = BpeTrainer.train(List.of("ab ab abc"), 300, List.of(), true);
        assertEquals(259 + 3, capped.vocabSize());
        assertArrayEquals(BpeTrainer.train(List.of("ab ab abc"), 262, List.of()).encode("ab abc"), capped.encode("ab abc"));
        // a size the texts can fill is met exactly
        assertEquals(260, BpeTrainer.train(List.of("ab ab abc"), 260, List.of(), true).vocabSize());
        assertEquals(262, new BpeTextPlugin().trainTokenizerUpTo(List.of("ab ab abc"), 999, List.of()).vocabSize());
    }

    @Test
    void repeatedOrEmptySpecialTokensAreRefused() {
        assertThrows(InvalidInputException.class, () -> BpeTrainer.train(CORPUS, 300, List.of("<a>", "<a>")));
        assertThrows(InvalidInputException.class, () -> BpeTrainer.train(CORPUS, 300, List.of("")));
    }

    @Test
    void specialTokenTextInTheCorpusIsLearnedAsPlainText() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            texts.add("PAD<bos> hello <pad> PAD <eos>");
        }
        // as large as these texts allow: every word, "PAD" included, becomes one token
        Tokenizer t = BpeTrainer.train(texts, 274, List.of("PAD"));
        assertEquals(0, t.specialTokenId("PAD"));
        int[] pad = t.encode("PAD");
        assertEquals(1, pad.length);
        assertTrue(pad[0] >= 260, "the learned token PAD is not the special one");
        assertEquals("PAD", t.decode(pad));
        int[] ids = t.encode("PAD<bos> hello PAD <pad>");
        for (int id : ids) {
            assertTrue(id >= t.specialTokens().size(), () -> "special id " + id + " from text");
        }
        assertEquals("PAD<bos> hello PAD <pad>", t.decode(ids));
    }

    @Test
    void twoThousandMergesOnAMegabyteTakeAFewSeconds() {
        List<String> big = TestData.corpus(99, 1_000_000);
        // a richer word list than the synthetic corpus: every word of the GPT-2 parity texts, repeated
        for (int i = 0; i < 50; i++) {
            big.addAll(TestData.gpt2Texts());
        }
        long start = System.nanoTime();
        BpeTokenizer t = BpeTrainer.train(big, 259 + 2000, List.of());
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("trained 2000 merges on %,d chars in %.2f s%n",
                big.stream().mapToInt(String::length).sum(), seconds);
        assertEquals(2000, t.mergeCount());
        assertTrue(seconds < 20, "training took " + seconds + " s");
        String sample = big.get(12345);
        assertArrayEquals(t.encode(sample), t.encode(sample));
        assertEquals(sample, t.decode(t.encode(sample)));
    }
}
