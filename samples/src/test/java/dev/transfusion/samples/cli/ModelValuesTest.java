package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionException;
import dev.transfusion.core.io.Manifest;
import dev.transfusion.testing.TinyModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model directory whose manifest is consistent but whose values are bad is refused at load, by file and field. */
class ModelValuesTest {
    @TempDir
    static Path tmp;
    static Path good;

    @BeforeAll
    static void writeModel() {
        good = TinyModel.write(tmp.resolve("good"));
    }

    /** A copy of the good model with {@code file} edited and the manifest rewritten to match. */
    private static Path edited(String name, String file, java.util.function.UnaryOperator<String> edit)
            throws IOException {
        Path dir = copy(name);
        Path f = dir.resolve(file);
        Files.writeString(f, edit.apply(Files.readString(f)));
        Manifest.write(dir, "transfusion-model", 1);
        return dir;
    }

    private static Path copy(String name) throws IOException {
        Path dir = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(good)) {
            for (Path p : files.toList()) {
                Path to = dir.resolve(good.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return dir;
    }

    private static String refusal(Path dir) {
        Exception e = assertThrows(RuntimeException.class, () -> Transfusion.load(dir).close());
        return e.getMessage();
    }

    @Test
    void aMaxLengthNearTwoToThe31IsRefused() throws IOException {
        Path dir = edited("max-length", "config.json", s -> s.replaceFirst("\"max_length\" : \\d+",
                "\"max_length\" : 2147483000"));
        String m = refusal(dir);
        assertTrue(m.contains(dir.resolve("config.json").toString()) && m.contains("'max_length'")
                && m.contains("2147483000"), m);
    }

    @Test
    void anEosIdOutsideTheVocabularyIsRefused() throws IOException {
        Path dir = edited("eos", "config.json", s -> s.replaceFirst("\"eos\" : \\d+", "\"eos\" : 99999"));
        String m = refusal(dir);
        assertTrue(m.contains(dir.resolve("config.json").toString()) && m.contains("'special_tokens'")
                && m.contains("inside the vocabulary"), m);
    }

    @Test
    void aHugeImageSizeIsRefused() throws IOException {
        Path dir = edited("image-size", "model.json", s -> s.replaceFirst("\"image_size\" : \\d+",
                "\"image_size\" : 1000000000"));
        assertEquals(dir.resolve("model.json") + ": field 'image_size' must be 0..8192, got 1000000000", refusal(dir));
    }

    @Test
    void aNanWeightIsRefused() throws IOException {
        Path dir = copy("nan");
        Path npy = dir.resolve("weights/param.output.weight.npy");
        byte[] b = Files.readAllBytes(npy);
        ByteBuffer.wrap(b, b.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN);   // the last value
        Files.write(npy, b);
        Manifest.write(dir, "transfusion-model", 1);
        String m = refusal(dir);
        assertTrue(m.startsWith(npy + ": value ") && m.endsWith(" is NaN; weights must be finite"), m);
    }

    @Test
    void theUntouchedCopyLoads() throws IOException {
        Transfusion.load(copy("same")).close();   // so the refusals above are about the edits alone
    }
}
