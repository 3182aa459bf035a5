package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Transfusion;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.runtime.ModelDirectory;
import dev.transfusion.plugins.image.PixelCodec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own data on the command line: unlabelled and empty folders are refused naming what was expected; a
 * small captioned folder trains with the vocabulary its texts support and a note about resized images; the
 * vocabulary, tokenizer and starting weights can be given.
 */
class OwnDataTest {
    @TempDir
    static Path dir;
    static Path codec;
    static Path captioned;
    /** One step of the shapes preset on three 12x8 images (a note for the vocabulary and one for the sizes). */
    static TransfusionCliTest.Result first;

    @BeforeAll
    static void trainOnce() throws IOException {
        codec = dir.resolve("codec");
        new PixelCodec(4, 2).save(codec);
        captioned = Files.createDirectories(dir.resolve("captioned"));
        for (int i = 0; i < 3; i++) {
            ImageIO.write(new BufferedImage(12, 8, BufferedImage.TYPE_INT_RGB), "jpg",
                    captioned.resolve("img" + i + ".jpg").toFile());
        }
        Files.writeString(captioned.resolve("metadata.jsonl"), """
                {"file_name": "img0.jpg", "text": "a dark picture"}
                {"file_name": "img1.jpg", "text": "another dark picture"}
                {"file_name": "img2.jpg", "text": "the third one"}
                """);
        first = train("first", "--preset", "shapes");
    }

    private static TransfusionCliTest.Result train(String out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", captioned.toString(), "--vae",
                codec.toString(), "--out", dir.resolve(out).toString(), "--steps", "1", "--batch", "1"));
        args.addAll(List.of(more));
        return TransfusionCliTest.run("", args.toArray(String[]::new));
    }

    private static TransfusionConfig config(String out) {
        return TransfusionConfig.read(dir.resolve(out).resolve("model/config.json"));
    }

    @Test
    void aFolderOfImagesWithoutCaptionsIsRefusedNamingTheListing() throws IOException {
        Path jpegs = Files.createDirectories(dir.resolve("jpegs"));
        for (int i = 0; i < 2; i++) {
            ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "jpg", jpegs.resolve(i + ".jpg").toFile());
        }
        var r = TransfusionCliTest.run("", "train", "--data", jpegs.toString(), "--vae", codec.toString(),
                "--out", dir.resolve("t-jpegs").toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals("error: training data folder " + jpegs + " has 2 image files but neither metadata.jsonl nor "
                + "manifest.tsv to caption them; expected metadata.jsonl lines like {\"file_name\": \"cat.jpg\", "
                + "\"text\": \"a cat on a mat\"} (or manifest.tsv lines file<TAB>text)", r.err().strip());
    }

    @Test
    void anEmptyFolderIsRefusedNamingWhatWasExpected() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        var r = TransfusionCliTest.run("", "train", "--data", empty.toString(), "--out", dir.resolve("t-empty").toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals("error: training data folder " + empty + " holds nothing to train on; expected images listed "
                + "in metadata.jsonl or manifest.tsv, or .txt files", r.err().strip());
    }

    @Test
    void aSmallDataSetTrainsWithTheVocabularyItsTextsSupportAndSaysSo() {
        assertEquals(0, first.exit(), first.err());
        int vocab = config("first").vocab();
        assertTrue(vocab > 261 && vocab < 320, "between the byte tokens and the preset's 320: " + vocab);
        assertTrue(first.err().contains("note: the texts of '" + captioned + "' support a vocabulary of " + vocab
                + " tokens, fewer than preset shapes's 320"), first.err());
    }

    @Test
    void imagesOfAnotherSizeGetOneNoteNamingTheirSizeAndAspect() throws IOException {
        String note = "note: 3 of 3 images are not 4x4 (3 at 12x8 (3:2)): the image codec fits each to 4x4";
        assertTrue(first.err().contains(note), first.err());
        assertEquals(1, first.err().split("are not 4x4", -1).length - 1, "once per data set: " + first.err());
        // the model records the codec's size, not the first image's
        assertTrue(Files.readString(dir.resolve("first/model/model.json")).contains("\"image_size\" : 4"));
    }

    @Test
    void theVocabularySizeCanBeSet() {
        var r = train("vocab", "--preset", "tiny", "--vocab-size", "265");
        assertEquals(0, r.exit(), r.err());
        assertEquals(265, config("vocab").vocab());
        var tooMany = train("vocab2", "--preset", "tiny", "--vocab-size", "5000");
        assertEquals(1, tooMany.exit(), tooMany.err());
        assertTrue(tooMany.err().startsWith("error: vocabSize is 5000 but the texts only support "), tooMany.err());
    }

    @Test
    void anExistingTokenizerIsUsedAsIs() {
        Path tokenizer = dir.resolve("first/model/tokenizer");
        var r = train("tok", "--preset", "tiny", "--tokenizer", tokenizer.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(config("first").vocab(), config("tok").vocab());
    }

    @Test
    void aHuggingFaceTokenizerJsonIsUsedWithTheSpecialTokensAdded() throws IOException {
        // a byte-level BPE tokenizer.json with the 256 byte tokens, no merges and no added tokens
        StringBuilder vocab = new StringBuilder();
        List<Integer> printable = new java.util.ArrayList<>();
        for (int b = 0; b < 256; b++) {
            if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) {
                printable.add(b);
            }
        }
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            int c = printable.contains(b) ? b : 256 + extra++;   // GPT-2's byte-to-character map
            vocab.append(vocab.length() == 0 ? "" : ", ").append(String.format("\"\\u%04x\": %d", c, b));
        }
        Path json = dir.resolve("hf/tokenizer.json");
        Files.createDirectories(json.getParent());
        Files.writeString(json, "{\"added_tokens\": [], \"pre_tokenizer\": {\"type\": \"ByteLevel\"}, \"model\": "
                + "{\"type\": \"BPE\", \"vocab\": {" + vocab + "}, \"merges\": []}}");
        var r = train("hf", "--preset", "tiny", "--tokenizer", json.toString());
        assertEquals(0, r.exit(), r.err());
        TransfusionConfig c = config("hf");
        assertEquals(256 + 5, c.vocab(), "the byte tokens and the five special tokens the text plugin adds");
        assertEquals(256, c.specialTokens().bos());
    }

    @Test
    void fineTuningStartsFromTheModelsWeights() {
        Path model = dir.resolve("first/model");
        // another seed: were the model ignored, the random start would differ from the model's (seed 0)
        var r = train("tuned", "--preset", "shapes", "--init-from", model.toString(), "--lr", "1e-12", "--seed", "5");
        assertEquals(0, r.exit(), r.err());
        Map<String, float[]> before = ModelDirectory.read(model, Transfusion.registry()).weights();
        Map<String, float[]> after = ModelDirectory.read(dir.resolve("tuned/model"), Transfusion.registry()).weights();
        float[] a = before.get("tok_embeddings.weight"), b = after.get("tok_embeddings.weight");
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertTrue(worst < 1e-4, "a step of lr 1e-12 from the model's weights keeps them: " + worst);
    }

    @Test
    void fineTuningAModelOfAnotherShapeNamesTheFieldsThatDiffer() {
        var r = train("mismatch", "--preset", "tiny", "--init-from", dir.resolve("first/model").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("\nerror: cannot fine-tune from " + dir.resolve("first/model")
                + ": its configuration differs from this run's in dim 128 vs 32, layers 4 vs 2"), r.err());
    }
}
