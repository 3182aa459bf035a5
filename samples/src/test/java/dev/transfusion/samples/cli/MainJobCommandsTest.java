package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transfusion.plugins.image.ImageFiles;
import dev.transfusion.plugins.image.PixelCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rung 4 of the ladder on a small scale: the command line trains a model on the built-in data (pixel
 * codec, a few steps), then generates, captions, answers, evaluates, and resumes; parity runs on the
 * reference fixture. Learning quality is the demo's job; this checks every command end to end.
 */
@Tag("learning")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MainJobCommandsTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void train() {
        new PixelCodec(16, 4).save(dir.resolve("pixels"));
        var r = TransfusionCliTest.run("", "train", "--data", "shapes", "--vae", dir.resolve("pixels").toString(),
                "--out", dir.resolve("run").toString(), "--steps", "4", "--batch", "2", "--checkpoint-every", "2");
        assertEquals(0, r.exit(), r.err());
        model = dir.resolve("run/model");
        assertTrue(Files.exists(model.resolve("manifest.json")), "no model written: " + r.err());
        assertTrue(r.err().contains("train 4/4"), r.err());
    }

    @Test
    @Order(1)
    void parityPassesOnTheReferenceFixture() {
        var r = TransfusionCliTest.run("", "parity", "--fixtures", "../sdk-core/src/test/resources/fixtures/tiny");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("PASS") && r.out().contains("grad.layers.1.feed_forward.w2.weight"), r.out());
    }

    @Test
    @Order(2)
    void generateWritesOnePngPerPromptAndAManifest() throws IOException {
        Path out = dir.resolve("gen");
        var r = TransfusionCliTest.run("", "generate", "--model", model.toString(), "--prompt", "a small red circle in the top left",
                "--prompt", "a large blue square in the center", "--out", out.toString(), "--steps", "3", "--seed", "1");
        assertEquals(0, r.exit(), r.err());
        List<String> manifest = Files.readAllLines(out.resolve("manifest.tsv"));
        assertEquals(List.of("0000.png\ta small red circle in the top left", "0001.png\ta large blue square in the center"),
                manifest.stream().map(l -> l.substring(0, l.lastIndexOf('\t'))).toList());
        for (String line : manifest) {   // the third column: the prompt's perplexity under the model
            assertTrue(Double.parseDouble(line.substring(line.lastIndexOf('\t') + 1)) >= 1, line);
        }
        assertEquals(16, ImageFiles.read(out.resolve("0000.png")).width());
        // the same seed gives the same picture
        Path again = dir.resolve("gen2");
        TransfusionCliTest.run("", "generate", "--model", model.toString(), "--prompt", "a small red circle in the top left",
                "--out", again.toString(), "--steps", "3", "--seed", "1");
        assertEquals(ImageFiles.read(out.resolve("0000.png")), ImageFiles.read(again.resolve("0000.png")));
    }

    @Test
    @Order(3)
    void captionAndAnswerReadTheGeneratedFolder() {
        Path images = dir.resolve("gen");
        var c = TransfusionCliTest.run("", "caption", "--model", model.toString(), "--images", images.toString(),
                "--max-tokens", "4");
        assertEquals(0, c.exit(), c.err());
        List<String> lines = c.out().lines().toList();
        assertEquals(2, lines.size(), c.out());
        assertTrue(lines.get(0).startsWith("0000.png\t"), c.out());
        var a = TransfusionCliTest.run("", "answer", "--model", model.toString(), "--image",
                images.resolve("0001.png").toString(), "--question", "what shape is it?", "--max-tokens", "3");
        assertEquals(0, a.exit(), a.err());
        assertEquals(1, a.out().lines().count(), a.out());
    }

    @Test
    @Order(4)
    void evalWritesMetricsPictureAndReport() throws IOException {
        Path out = dir.resolve("eval");
        var r = TransfusionCliTest.run("", "eval", "--model", model.toString(), "--n", "2", "--steps", "2",
                "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(2, m.get("n").asInt());
        double t2i = m.get("text_to_image_all").asDouble();
        assertTrue(t2i >= 0 && t2i <= 1 && m.get("caption_perplexity").asDouble() > 1, m.toString());
        assertTrue(ImageFiles.read(out.resolve("samples.png")).width() > 100);
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("samples.png"), report);
        // train wrote its loss per step beside the model: the report draws it
        assertTrue(Files.isRegularFile(model.getParent().resolve("training-log.tsv")));
        assertTrue(report.contains("<h2 id=\"curve\">Training curve</h2>\n<svg"), report);
        assertTrue(report.contains("<td>training seed</td>"), report);
    }

    @Test
    @Order(5)
    void resumingAFinishedRunExtendsItFromTheCheckpoint() {
        var r = TransfusionCliTest.run("", "train", "--data", "shapes", "--vae", dir.resolve("pixels").toString(),
                "--out", dir.resolve("run").toString(), "--steps", "6", "--batch", "2", "--checkpoint-every", "2",
                "--resume");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("train 6/6") && !r.err().contains("train 1/6"), r.err());
    }

    @Test
    @Order(6)
    void trainingWithoutACodecForImageDataIsRefusedClearly() {
        var r = TransfusionCliTest.run("", "train", "--data", "shapes", "--out", dir.resolve("x").toString(), "--steps", "1");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("--vae"), r.err());
    }
}
