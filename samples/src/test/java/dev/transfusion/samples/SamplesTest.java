package dev.transfusion.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java and Kotlin samples compile and run in the build, and say what they claim. */
class SamplesTest {

    @Test
    void javaSampleRoundTripsItsSentence() {
        checkWalkThrough(capture(TokenizeSample::run), TokenizeSample.SENTENCE);
    }

    @Test
    void kotlinSampleRoundTripsItsSentence() {
        checkWalkThrough(capture(TokenizeSampleKt::run), TokenizeSampleKt.KOTLIN_SENTENCE);
    }

    @Test
    @Tag("learning")
    void javaShapesSampleTrainsDrawsCaptionsAndAnswers(@TempDir Path out) {
        checkShapes(capture(log -> ShapesSample.run(log, out, 4, null)), out, ShapesSample.PROMPT);
    }

    @Test
    @Tag("learning")
    void kotlinShapesSampleTrainsDrawsCaptionsAndAnswers(@TempDir Path out) {
        checkShapes(capture(log -> ShapesSampleKt.runShapes(log, out, 4, null)), out, ShapesSampleKt.KOTLIN_PROMPT);
    }

    /** Trained the steps asked for (listener lines included), wrote the model, drew, captioned and answered. */
    private static void checkShapes(List<String> lines, Path out, String prompt) {
        assertTrue(lines.stream().anyMatch(l -> l.matches("train 4/4 loss \\d+\\.\\d+.*")), lines::toString);
        assertEquals("4 steps", line(lines, "trained: "));
        assertTrue(Files.exists(out.resolve("model/manifest.json")), "no model written");
        // 10 denoising steps reported by the listener, in order
        List<String> denoise = lines.stream().filter(l -> l.startsWith("denoise ")).toList();
        assertEquals(10, denoise.size(), lines::toString);
        assertTrue(denoise.get(0).startsWith("denoise 1/10") && denoise.get(9).startsWith("denoise 10/10"), denoise::toString);
        assertEquals("16x16 for '" + prompt + "'", line(lines, "image: "));   // the pixel codec's image size
        line(lines, "caption: ");   // four steps teach no words: that it answers at all is the check
        line(lines, "answer: ");
    }

    private static void checkWalkThrough(List<String> lines, String sentence) {
        assertTrue(line(lines, "modalities: ").contains("text"), "text is a registered modality: " + lines);
        assertTrue(lines.contains("<bos> = 0, <mask> = absent"), lines::toString);
        int[] ids = Arrays.stream(line(lines, "ids: ").split(" ")).mapToInt(Integer::parseInt).toArray();
        assertTrue(ids.length > 0 && ids.length < sentence.length(), "merges shorten the sentence: " + ids.length);
        assertEquals(sentence, line(lines, "decoded: "));
        assertEquals(sentence, line(lines, "streamed: "));
        assertTrue(line(lines, "options: ").contains("maxTokens=64"), lines::toString);
    }

    private static List<String> capture(Consumer<PrintStream> sample) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            sample.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The rest of the line that starts with {@code prefix}. */
    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> l.substring(prefix.length()))
                .orElseThrow(() -> new AssertionError("no line '" + prefix + "...' in " + lines));
    }
}
