package dev.transfusion.core.data;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing of the file parsers that read user data: image files (truncated, mutated and random bytes),
 * {@code metadata.jsonl} of image folders and {@code .jsonl} documents (mutated and generated lines, hostile file
 * names). Each either succeeds or throws {@link InvalidInputException}: no other exception, no error, no hang.
 * The seed and the number of tries are fixed, so that a CI run is bounded and repeatable.
 */
class ParsingFuzzTest {
    private static final Duration HANG = Duration.ofSeconds(20);
    private static final byte[] PNG = png(12, 9);
    private static Path dir;

    @BeforeContainer
    static void folder() throws IOException {
        dir = Files.createTempDirectory("parsing-fuzz");
        Files.write(dir.resolve("a.png"), PNG);
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("sub/b.png"), PNG);
        Files.writeString(dir.resolve("not-an-image.png"), "hello");
    }

    @AfterContainer
    static void removeFolder() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Property(tries = 400, seed = "20260901")
    void damagedImageFilesAreRefusedCleanly(@ForAll("damagedPngs") byte[] bytes) throws IOException {
        Path f = dir.resolve("fuzz.img");
        Files.write(f, bytes);
        onlyInvalidInput(() -> {
            RgbImage img = ImageFileReader.read(f, "fuzz");
            if (img.width() < 1 || img.height() < 1 || (long) img.width() * img.height() > RgbImage.MAX_PIXELS) {
                throw new AssertionError("decoded an impossible image " + img.width() + "x" + img.height());
            }
        });
    }

    @Property(tries = 300, seed = "20260902")
    void imageFolderListingsAreRefusedCleanly(@ForAll("metadataLines") List<String> lines) throws IOException {
        Files.write(dir.resolve(ImageFolderSource.METADATA_JSONL), utf8(lines));
        onlyInvalidInput(() -> {
            ImageFolderSource source = ImageFolderSource.open(dir);
            for (ImageFolderSource.Entry e : source.entries()) {
                if (!e.image().toRealPath().startsWith(dir.toRealPath())) {
                    throw new AssertionError(e.where() + " escaped the folder: " + e.image());
                }
            }
            for (int i = 0; i < source.size(); i++) {
                source.get(i);
            }
        });
    }

    @Property(tries = 300, seed = "20260903")
    void documentFilesAreRefusedCleanly(@ForAll("documentLines") List<String> lines) throws IOException {
        Path f = dir.resolve("docs.jsonl");
        Files.write(f, utf8(lines));
        onlyInvalidInput(() -> {
            JsonlDocumentSource source = JsonlDocumentSource.open(f);
            for (int i = 0; i < source.size(); i++) {
                source.get(i);
            }
        });
    }

    @Property(tries = 100, seed = "20260904")
    void invalidUtf8IsRefusedCleanly(@ForAll("bytesWithInvalidUtf8") byte[] bytes) throws IOException {
        Files.write(dir.resolve(ImageFolderSource.METADATA_JSONL), bytes);
        Path docs = dir.resolve("docs.jsonl");
        Files.write(docs, bytes);
        onlyInvalidInput(() -> ImageFolderSource.open(dir));
        onlyInvalidInput(() -> JsonlDocumentSource.open(docs));
    }

    /** Runs {@code parse}; success and {@link InvalidInputException} pass, anything else or a hang fails. */
    private static void onlyInvalidInput(ThrowingRunnable parse) {
        assertTimeoutPreemptively(HANG, () -> {
            try {
                parse.run();
            } catch (InvalidInputException expected) {
                if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                    throw new AssertionError("an InvalidInputException without a message", expected);
                }
            }
        });
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Provide
    Arbitrary<byte[]> damagedPngs() {
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.integers().between(1, PNG.length),
                Arbitraries.longs(), Arbitraries.integers().between(0, 12)).as((cut, seed, flips) -> {
                    Random r = new Random(seed);
                    byte[] b = java.util.Arrays.copyOf(PNG, cut);
                    for (int i = 0; i < flips; i++) {
                        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                    }
                    return b;
                });
        Arbitrary<byte[]> headerThenNoise = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(tail -> {
            byte[] b = java.util.Arrays.copyOf(PNG, 16 + tail.length);   // the PNG signature and IHDR's start
            System.arraycopy(tail, 0, b, 16, tail.length);
            return b;
        });
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, mutated), net.jqwik.api.Tuple.of(2, headerThenNoise),
                net.jqwik.api.Tuple.of(1, noise));
    }

    /** File names as a hostile or careless listing would have them. */
    private static Arbitrary<String> fileNames() {
        return Arbitraries.oneOf(
                Arbitraries.of("a.png", "sub/b.png", "./a.png", "sub/../a.png", "../../etc/passwd", "/etc/passwd",
                        "..", ".", "", " ", "sub", "missing.png", "not-an-image.png", "a.png\u0000x", "C:\\x.png",
                        "sub/../../a.png", "\\\\server\\share\\a.png"),
                Arbitraries.strings().ofMaxLength(12));
    }

    /** JSON values of every kind, for fields that should hold a string. */
    private static Arbitrary<String> jsonValues(Arbitrary<String> strings) {
        return Arbitraries.oneOf(strings.map(ParsingFuzzTest::quote),
                Arbitraries.of("null", "1", "-0.5e309", "true", "[]", "{}", "[\"a.png\"]", "{\"x\": 1}"));
    }

    @Provide
    Arbitrary<List<String>> metadataLines() {
        Arbitrary<String> wellFormed = Combinators.combine(jsonValues(fileNames()),
                jsonValues(Arbitraries.strings().ofMaxLength(20))).as((f, t) -> "{\"file_name\": " + f + ", \"text\": " + t + "}");
        return lines(wellFormed);
    }

    @Provide
    Arbitrary<List<String>> documentLines() {
        Arbitrary<String> part = Arbitraries.oneOf(
                jsonValues(Arbitraries.strings().ofMaxLength(20)).map(t -> "{\"text\": " + t + "}"),
                jsonValues(fileNames()).map(f -> "{\"image\": " + f + "}"),
                Arbitraries.of("{}", "{\"text\": \"a\", \"image\": \"a.png\"}", "\"text\"", "null", "[]"));
        Arbitrary<String> wellFormed = Arbitraries.oneOf(
                part.list().ofMaxSize(4).map(ps -> "{\"parts\": [" + String.join(", ", ps) + "]}"),
                Arbitraries.of("{\"parts\": {}}", "{\"parts\": null}", "{}", "[]", "{\"parts\": [\"a\"]}"));
        return lines(wellFormed);
    }

    /** Up to five lines: well formed, well formed then cut or edited, or arbitrary text. */
    private static Arbitrary<List<String>> lines(Arbitrary<String> wellFormed) {
        Arbitrary<String> damaged = Combinators.combine(wellFormed, Arbitraries.longs()).as((line, seed) -> {
            Random r = new Random(seed);
            StringBuilder b = new StringBuilder(line);
            for (int i = r.nextInt(4); i >= 0 && b.length() > 0; i--) {
                int at = r.nextInt(b.length());
                switch (r.nextInt(3)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, "{}[]\",:\\ \u00e9\ud83d\ude00".charAt(r.nextInt(11)));
                    default -> b.setLength(at);
                }
            }
            return b.toString();
        });
        Arbitrary<String> line = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, wellFormed),
                net.jqwik.api.Tuple.of(3, damaged), net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(30)));
        return line.list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<byte[]> bytesWithInvalidUtf8() {
        return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                Arbitraries.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                        new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80})).as((noise, bad) -> {
                    byte[] head = "{\"file_name\": \"a.png\", \"text\": \"".getBytes(StandardCharsets.UTF_8);
                    byte[] b = new byte[head.length + bad.length + noise.length];
                    System.arraycopy(head, 0, b, 0, head.length);
                    System.arraycopy(bad, 0, b, head.length, bad.length);
                    System.arraycopy(noise, 0, b, head.length + bad.length, noise.length);
                    return b;
                });
    }

    /** The lines as UTF-8 (a lone surrogate, which jqwik's strings may hold, becomes '?', as in any editor). */
    private static byte[] utf8(List<String> lines) {
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static byte[] png(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
