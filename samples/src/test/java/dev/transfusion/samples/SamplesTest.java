package dev.transfusion.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

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
