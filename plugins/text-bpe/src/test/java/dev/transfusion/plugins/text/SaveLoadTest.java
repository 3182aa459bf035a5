package dev.transfusion.plugins.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.spi.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** save writes tokenizer.json, loading reads it back identically, and bad files fail naming the path. */
class SaveLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BpeTextPlugin PLUGIN = new BpeTextPlugin();
    private static Tokenizer gpt2;
    private static Tokenizer trained;
    private static List<String> texts;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        gpt2 = PLUGIN.loadTokenizer(TestData.gpt2Dir());
        trained = PLUGIN.trainTokenizer(TestData.corpus(3, 100_000), 900, List.of("<mask>"));
        texts = new ArrayList<>(TestData.gpt2Texts());
        texts.addAll(TestData.randomStrings(17, 300, 50));
        texts.addAll(TestData.corpus(4, 5_000));
    }

    @Test
    void trainedTokenizerSurvivesSaveAndLoad() {
        trained.save(dir);
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
        assertSame(trained, PLUGIN.loadTokenizer(dir));
        assertSame(trained, PLUGIN.loadTokenizer(dir.resolve("tokenizer.json")));
    }

    @Test
    void gpt2TokenizerSurvivesSaveAndLoad() throws IOException {
        gpt2.save(dir);
        Tokenizer again = PLUGIN.loadTokenizer(dir);
        assertSame(gpt2, again);
        ObjectNode root = (ObjectNode) JSON.readTree(dir.resolve("tokenizer.json").toFile());
        assertEquals("BPE", root.at("/model/type").asText());
        assertEquals("ByteLevel", root.at("/pre_tokenizer/type").asText());
        assertEquals(50256, root.at("/model/vocab/<|endoftext|>").asInt());
        assertEquals(50000, root.at("/model/merges").size());
        assertEquals("Ġ t", root.at("/model/merges/0").asText());
        assertEquals(4, root.get("added_tokens").size());
        assertTrue(root.at("/added_tokens/3/special").asBoolean());
        // saving what was loaded gives the same file
        Path second = dir.resolve("second");
        again.save(second);
        assertEquals(Files.readString(dir.resolve("tokenizer.json")), Files.readString(second.resolve("tokenizer.json")));
    }

    @Test
    void mergesAsPairsReadLikeMergesAsStrings() throws IOException {
        trained.save(dir);
        ObjectNode root = (ObjectNode) JSON.readTree(dir.resolve("tokenizer.json").toFile());
        ArrayNode pairs = JSON.createArrayNode();
        root.at("/model/merges").forEach(m -> pairs.addArray().add(m.asText().split(" ")[0]).add(m.asText().split(" ")[1]));
        ((ObjectNode) root.get("model")).set("merges", pairs);
        // Hugging Face may also wrap the byte-level pre-tokenizer in a one-element sequence
        ObjectNode sequence = JSON.createObjectNode().put("type", "Sequence");
        sequence.putArray("pretokenizers").add(root.get("pre_tokenizer"));
        root.set("pre_tokenizer", sequence);
        Path file = dir.resolve("pairs.json");
        JSON.writeValue(file.toFile(), root);
        assertSame(trained, PLUGIN.loadTokenizer(file));
    }

    @Test
    void saveReplacesAnEarlierFileAndCreatesTheDirectory() throws IOException {
        Path nested = dir.resolve("a/b");
        gpt2.save(nested);
        trained.save(nested);
        assertSame(trained, PLUGIN.loadTokenizer(nested));
        try (var files = Files.list(nested)) {
            assertEquals(List.of(nested.resolve("tokenizer.json")), files.toList());
        }
    }

    @Test
    void missingPathsAreRefusedNamingThePath() throws IOException {
        assertRefused(dir.resolve("nope"), "does not exist");
        assertRefused(dir.resolve("nope/tokenizer.json"), "does not exist");
        assertRefused(dir, "holds no tokenizer files");
        Files.copy(TestData.gpt2Dir().resolve("encoder.json"), dir.resolve("encoder.json"));
        assertRefused(dir, "holds no tokenizer files");
        assertRefused(dir.resolve("encoder.json"), "vocab.bpe is not beside it");
    }

    @Test
    void malformedJsonIsRefusedNamingTheFile() throws IOException {
        Path notJson = Files.writeString(dir.resolve("tokenizer.json"), "this is { not json");
        assertRefused(notJson, "is not valid JSON");
        assertRefused(dir, "is not valid JSON");
        assertRefused(Files.writeString(dir.resolve("empty.json"), ""), "is empty");
        assertRefused(Files.writeString(dir.resolve("array.json"), "[1, 2]"), "expected a Hugging Face tokenizer.json");
        Path gpt2Dir = Files.createDirectory(dir.resolve("gpt2"));
        Files.writeString(gpt2Dir.resolve("encoder.json"), "{\"a\": ");
        Files.copy(TestData.gpt2Dir().resolve("vocab.bpe"), gpt2Dir.resolve("vocab.bpe"));
        assertRefused(gpt2Dir, gpt2Dir.resolve("encoder.json") + " is not valid JSON");
    }

    @Test
    void otherModelTypesAreRefused() throws IOException {
        Path wordPiece = Files.writeString(dir.resolve("wordpiece.json"), """
                {"version": "1.0", "added_tokens": [], "normalizer": null,
                 "pre_tokenizer": {"type": "BertPreTokenizer"},
                 "model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": 1}}}""");
        assertRefused(wordPiece, "model.type is 'WordPiece'; expected 'BPE'");
        assertRefused(Files.writeString(dir.resolve("nomodel.json"), "{\"version\": \"1.0\"}"), "\"model\" object");
    }

    @Test
    void bpeFilesThisTokenizerWouldEncodeDifferentlyAreRefused() throws IOException {
        trained.save(dir);
        assertRefused(edited("/pre_tokenizer", "{\"type\": \"Metaspace\", \"replacement\": \"▁\"}"),
                "pre_tokenizer is Metaspace; expected ByteLevel");
        assertRefused(edited("/pre_tokenizer", "null"), "pre_tokenizer is null");
        assertRefused(edited("/normalizer", "{\"type\": \"NFC\"}"), "normalizer is NFC");
        assertRefused(edited("/pre_tokenizer", "{\"type\": \"ByteLevel\", \"add_prefix_space\": true}"),
                "add_prefix_space is true");
        assertRefused(edited("/model/merges", "[\"a b c\"]"), "model.merges[0] is \"a b c\"");
        assertRefused(edited("/model/merges", "[\"Ġ zzzzq\"]"), "token 'zzzzq' is not in model.vocab");
        assertRefused(edited("/model/vocab", "{\"a\": 0}"), "lacks the byte token");
        assertRefused(edited("/model/vocab", "{\"a\": \"x\"}"), "expected an integer id");
        assertRefused(edited("/added_tokens", "[{\"id\": 1}]"), "added_tokens[0].content is missing");
    }

    @Test
    void malformedMergesFileIsRefusedNamingTheLine() throws IOException {
        Files.copy(TestData.gpt2Dir().resolve("encoder.json"), dir.resolve("encoder.json"));
        Files.writeString(dir.resolve("vocab.bpe"), "#version: 0.2\nĠ t\nthree parts here\n");
        PluginException e = assertRefused(dir.resolve("vocab.bpe"), "line 3 is 'three parts here'");
        assertTrue(e.getMessage().contains(dir.resolve("vocab.bpe").toString()), e.getMessage());
    }

    /** The saved trained tokenizer with the JSON at {@code pointer} replaced, in a new file. */
    private Path edited(String pointer, String json) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(dir.resolve("tokenizer.json").toFile());
        int slash = pointer.lastIndexOf('/');
        ObjectNode parent = slash == 0 ? root : (ObjectNode) root.at(pointer.substring(0, slash));
        parent.set(pointer.substring(slash + 1), JSON.readTree(json));
        Path file = Files.createTempFile(dir, "edited", ".json");
        JSON.writeValue(file.toFile(), root);
        return file;
    }

    private static PluginException assertRefused(Path path, String expected) {
        PluginException e = assertThrows(PluginException.class, () -> PLUGIN.loadTokenizer(path));
        assertTrue(e.getMessage().contains(path.toString()), () -> "no path in: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
        return e;
    }

    private static void assertSame(Tokenizer expected, Tokenizer actual) {
        assertEquals(expected.vocabSize(), actual.vocabSize());
        assertEquals(expected.specialTokens(), actual.specialTokens());
        for (String s : expected.specialTokens()) {
            assertEquals(expected.specialTokenId(s), actual.specialTokenId(s));
        }
        for (String text : texts) {
            assertArrayEquals(expected.encode(text), actual.encode(text), text);
        }
        int[] all = java.util.stream.IntStream.range(0, expected.vocabSize()).toArray();
        assertEquals(expected.decode(all), actual.decode(all));
    }
}
