package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.testing.TinyModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on the command line: each case exits 1 with one line {@code error: ...} that names the file or option
 * and what was wrong (rows of docs/reliability.md). The model is an untrained tiny one: only the refusals matter.
 */
class CliBadInputTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() {
        model = TinyModel.write(dir.resolve("tiny"));
    }

    /** Runs the command line and checks exit 1 and an error line containing every one of {@code parts}. */
    private static String fails(String[] args, String... parts) {
        var r = TransfusionCliTest.run("", args);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "'" + r.err() + "' should contain " + p);
        }
        return r.err();
    }

    private static Path folder(String name, String metadataLine) throws IOException {
        Path f = Files.createDirectories(dir.resolve(name));
        Files.write(f.resolve("ok.png"), png(4, 4));
        Files.writeString(f.resolve("metadata.jsonl"), metadataLine + "\n");
        return f;
    }

    @Test
    void trainingDataThatDoesNotExist() {
        Path missing = dir.resolve("no-such-data");
        fails(new String[] {"train", "--data", missing.toString(), "--out", dir.resolve("t1").toString()},
                "training data '" + missing + "' is neither a registered data set (fashion-mnist, idx, npy, shapes, tones) nor an existing file or folder");
    }

    @Test
    void anUnknownDataSetInAMixNamesItAndTheRegisteredOnes() {
        fails(new String[] {"train", "--data", "shapes,tonez", "--out", dir.resolve("t1b").toString()},
                "training data 'tonez' is neither a registered data set (fashion-mnist, idx, npy, shapes, tones) nor an existing file or folder");
    }

    @Test
    void aConfigOverrideWithAnUnknownFieldOrValueIsRefusedBeforeAnyDataIsRead() {
        fails(new String[] {"train", "--data", "shapes", "--out", dir.resolve("t1d").toString(), "--config",
            "{\"sideways\": 1}"}, "--config: unknown field 'sideways'; known: [vocab, dim, layers");
        fails(new String[] {"train", "--data", "shapes", "--out", dir.resolve("t1d").toString(), "--config",
            "{\"span_attention\": \"sideways\"}"}, "config field 'span_attention' must be \"bidirectional\" or "
                + "\"causal\", got \"sideways\"");
        fails(new String[] {"train", "--data", "shapes", "--out", dir.resolve("t1d").toString(), "--config", "[1]"},
                "--config must be a JSON object such as {\"dim\": 512}, got [1]");
        assertTrue(!Files.exists(dir.resolve("t1d")), "nothing written");
    }

    @Test
    void anEmptyEntryInADataList() {
        fails(new String[] {"train", "--data", "shapes,", "--out", dir.resolve("t1c").toString()},
                "training data 'shapes,' has an empty entry");
    }

    @Test
    void evalWithAnUnknownDataSetFailsBeforeLoadingTheModel() {
        fails(new String[] {"eval", "--model", model.toString(), "--data", "tonez", "--out",
                dir.resolve("e1").toString()}, "no data set 'tonez'; registered: fashion-mnist, idx, npy, shapes, tones");
        assertTrue(!Files.exists(dir.resolve("e1")), "nothing written");
    }

    @Test
    void aListingWhoseFileNameEscapesTheFolder() throws IOException {
        Path data = folder("escape", "{\"file_name\": \"../../etc/passwd\", \"text\": \"x\"}");
        fails(new String[] {"train", "--data", data.toString(), "--out", dir.resolve("t2").toString()},
                "metadata.jsonl line 1", "'../../etc/passwd' escapes the folder");
    }

    @Test
    void aListingWithBadJson() throws IOException {
        Path data = folder("badjson", "{\"file_name\": \"ok.png\", \"text\": ");
        fails(new String[] {"train", "--data", data.toString(), "--out", dir.resolve("t3").toString()},
                "metadata.jsonl line 1", "not valid JSON");
    }

    @Test
    void zeroTrainingSteps() {
        fails(new String[] {"train", "--data", "shapes", "--out", dir.resolve("t4").toString(), "--steps", "0"},
                "steps must be >= 1, got 0");
    }

    @Test
    void samplingValuesOutOfRange() {
        String[] text = {"complete", "--model", model.toString(), "--prompt", "a circle"};
        fails(concat(text, "--temperature", "NaN"), "--temperature must be 0..100, got NaN");
        fails(concat(text, "--temperature", "-1"), "--temperature must be 0..100, got -1.0");
        fails(concat(text, "--top-p", "1.5"), "--top-p must be (0, 1], got 1.5");
        String[] image = {"generate", "--model", model.toString(), "--prompt", "a circle", "--out", dir.resolve("g").toString()};
        fails(concat(image, "--steps", "100000"), "--steps must be 1..1000, got 100000");
    }

    @Test
    void aTruncatedImageToCaption() throws IOException {
        Path images = Files.createDirectories(dir.resolve("truncated"));
        byte[] whole = png(8, 8);
        Files.write(images.resolve("cut.png"), Arrays.copyOf(whole, whole.length / 2));
        fails(new String[] {"caption", "--model", model.toString(), "--images", images.toString()},
                "cut.png", "cannot be decoded");
    }

    @Test
    void aFileThatIsNoImageToAnswerAbout() throws IOException {
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "these are notes, not pixels");
        fails(new String[] {"answer", "--model", model.toString(), "--image", text.toString(), "--question", "what?"},
                "notes.png", "is not in an image format ImageIO reads");
    }

    @Test
    void aPromptOverTheMaximumLength() {
        // far over: refused from its length before it is tokenized
        String err = fails(new String[] {"complete", "--model", model.toString(), "--prompt", "a red circle ".repeat(400)},
                "prompt text has 5200 characters, more than the 40 positions the model reads can hold");
        assertTrue(err.lines().count() == 1, "one line, no stack trace: " + err);
        // within that bound (260 characters) but over once tokenized
        fails(new String[] {"complete", "--model", model.toString(), "--prompt", "a red circle ".repeat(20)},
                "prompt takes ", " positions; the limit is 40");
    }

    @Test
    void aModelDirectoryThatDoesNotExist() {
        Path missing = dir.resolve("no-model");
        fails(new String[] {"complete", "--model", missing.toString(), "--prompt", "hello"},
                "model directory " + missing + " does not exist");
    }

    @Test
    void generateIntoAFileThatExists() throws IOException {
        Path file = Files.writeString(dir.resolve("taken.txt"), "mine");
        String err = fails(new String[] {"generate", "--model", model.toString(), "--prompt", "a circle", "--out",
                file.toString()}, "--out " + file + " is a file; expected a folder");
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
        assertEquals("mine", Files.readString(file), "the file is left as it was");
    }

    @Test
    void aMisspelledOptionIsNamedBeforeTheMissingOne() {
        var r = TransfusionCliTest.run("", "generate", "--modle", model.toString(), "--prompt", "a circle",
                "--out", dir.resolve("g2").toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals("Unknown option: '--modle'", r.err().lines().findFirst().orElse(""), r.err());
        assertTrue(r.err().contains("Possible solutions: --model"), r.err());
    }

    @Test
    void anEmptyPromptIsRefusedAsTheServerRefusesIt() {
        fails(new String[] {"complete", "--model", model.toString(), "--prompt", ""}, "--prompt is empty");
        fails(new String[] {"generate", "--model", model.toString(), "--prompt", "", "--out",
                dir.resolve("g3").toString()}, "--prompt is empty");
        assertTrue(Files.notExists(dir.resolve("g3")), "nothing written for a refused prompt");
    }

    @Test
    void anEmptyQuestionIsRefused() throws IOException {
        Path image = dir.resolve("q.png");
        Files.write(image, png(4, 4));
        String err = fails(new String[] {"answer", "--model", model.toString(), "--image", image.toString(),
                "--question", " "}, "--question is empty");
        assertEquals(1, err.lines().count(), err);
    }

    @Test
    void aNegativeSeedIsAUsageError() {
        var r = TransfusionCliTest.run("", "complete", "--model", model.toString(), "--prompt", "a", "--seed", "-1");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("'-1' is not a seed: expected a whole number 0..18446744073709551615"), r.err());
    }

    @Test
    void servingAModelThatIsNotThereSaysSoOnce() {
        Path missing = dir.resolve("no-model-to-serve");
        var r = TransfusionCliTest.run("", "serve", "--model", missing.toString(), "--port", "0");
        assertEquals(1, r.exit(), r.err());
        assertEquals("error: model directory " + missing + " does not exist\n", r.err().replace("\r", ""));
    }

    @Test
    void servingACorruptModelSaysSoOnce() throws IOException {
        Path corrupt = TinyModel.write(dir.resolve("corrupt-to-serve"));
        Path weights = corrupt.resolve("config.json");
        Files.writeString(weights, Files.readString(weights).replace("\"layers\"", "\"layers\" "));
        var r = TransfusionCliTest.run("", "serve", "--model", corrupt.toString(), "--port", "0");
        assertEquals(1, r.exit(), r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).contains("corrupt"), r.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] png(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }
}
