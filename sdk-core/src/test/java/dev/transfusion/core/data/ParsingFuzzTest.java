package dev.transfusion.core.data;

import static dev.transfusion.core.testing.FuzzInputs.filled;
import static dev.transfusion.core.testing.FuzzInputs.forAll;
import static dev.transfusion.core.testing.FuzzInputs.noise;
import static dev.transfusion.core.testing.FuzzInputs.pick;
import static dev.transfusion.core.testing.FuzzInputs.size;
import static dev.transfusion.core.testing.FuzzInputs.text;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.core.testing.FuzzInputs;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of the file parsers that read user data: image files (truncated, mutated and random bytes),
 * {@code metadata.jsonl} of image folders and {@code .jsonl} documents (mutated and generated lines, hostile file
 * names). Each either succeeds or throws {@link InvalidInputException}: no other exception, no error, no hang.
 *
 * <p>Plain JUnit loops: each property runs a fixed number of tries over hand-picked edge cases first (empty input,
 * boundary cuts, every hostile name), then inputs drawn from a {@link SplittableRandom} with a fixed seed, so that a
 * CI run is bounded and repeatable. A failure names the seed, the try and the input; rerunning the test repeats it.
 */
class ParsingFuzzTest {
    private static final Duration HANG = Duration.ofSeconds(20);
    /** Characters generated text draws more often: JSON's own syntax. */
    private static final String JSON_SYNTAX = "\"\\{}[]:,./ ";
    private static final byte[] PNG = png(12, 9);
    /** File names as a hostile or careless listing would have them. */
    private static final List<String> FILE_NAMES = List.of("a.png", "sub/b.png", "./a.png", "sub/../a.png",
            "../../etc/passwd", "/etc/passwd", "..", ".", "", " ", "sub", "missing.png", "not-an-image.png",
            "a.png\u0000x", "C:\\x.png", "sub/../../a.png", "\\\\server\\share\\a.png");
    /** JSON values of every other kind, for fields that should hold a string. */
    private static final List<String> NON_STRINGS = List.of("null", "1", "-0.5e309", "true", "[]", "{}",
            "[\"a.png\"]", "{\"x\": 1}");
    private static final List<String> FIXED_PARTS = List.of("{}", "{\"text\": \"a\", \"image\": \"a.png\"}",
            "\"text\"", "null", "[]");
    private static final List<String> FIXED_DOCUMENTS = List.of("{\"parts\": {}}", "{\"parts\": null}", "{}", "[]",
            "{\"parts\": [\"a\"]}");
    private static final List<byte[]> BAD_UTF8 = List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
    private static Path dir;

    @BeforeAll
    static void folder() throws IOException {
        dir = Files.createTempDirectory("parsing-fuzz");
        Files.write(dir.resolve("a.png"), PNG);
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("sub/b.png"), PNG);
        Files.writeString(dir.resolve("not-an-image.png"), "hello");
    }

    @AfterAll
    static void removeFolder() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void damagedImageFilesAreRefusedCleanly() {
        Path f = dir.resolve("fuzz.img");
        List<byte[]> edges = List.of(new byte[0], Arrays.copyOf(PNG, 1), PNG.clone(), Arrays.copyOf(PNG, 16),
                Arrays.copyOf(PNG, PNG.length - 1), new byte[300], filled(300, (byte) 0xff));
        forAll(400, 20260901L, edges, ParsingFuzzTest::damagedPng, FuzzInputs::describe, bytes -> {
            Files.write(f, bytes);
            onlyInvalidInput(() -> {
                RgbImage img = ImageFileReader.read(f, "fuzz");
                if (img.width() < 1 || img.height() < 1 || (long) img.width() * img.height() > RgbImage.MAX_PIXELS) {
                    throw new AssertionError("decoded an impossible image " + img.width() + "x" + img.height());
                }
            });
        });
    }

    @Test
    void imageFolderListingsAreRefusedCleanly() {
        List<List<String>> edges = new ArrayList<>();
        edges.add(List.of(""));
        FILE_NAMES.forEach(n -> edges.add(List.of(metadataLine(quote(n), "\"a\""))));
        NON_STRINGS.forEach(v -> edges.add(List.of(metadataLine(v, "\"a\""))));
        NON_STRINGS.forEach(v -> edges.add(List.of(metadataLine("\"a.png\"", v))));
        Function<SplittableRandom, List<String>> listings = r -> lines(r, ParsingFuzzTest::metadataLine);
        forAll(300, 20260902L, edges, listings, ParsingFuzzTest::describeLines, lines -> {
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
        });
    }

    @Test
    void documentFilesAreRefusedCleanly() {
        Path f = dir.resolve("docs.jsonl");
        List<List<String>> edges = new ArrayList<>();
        edges.add(List.of(""));
        edges.add(List.of("{\"parts\": []}"));
        FIXED_DOCUMENTS.forEach(d -> edges.add(List.of(d)));
        FIXED_PARTS.forEach(p -> edges.add(List.of("{\"parts\": [" + p + "]}")));
        FILE_NAMES.forEach(n -> edges.add(List.of("{\"parts\": [{\"image\": " + quote(n) + "}]}")));
        NON_STRINGS.forEach(v -> edges.add(List.of("{\"parts\": [{\"text\": " + v + "}]}")));
        Function<SplittableRandom, List<String>> files = r -> lines(r, ParsingFuzzTest::documentLine);
        forAll(300, 20260903L, edges, files, ParsingFuzzTest::describeLines, lines -> {
            Files.write(f, utf8(lines));
            onlyInvalidInput(() -> {
                JsonlDocumentSource source = JsonlDocumentSource.open(f);
                for (int i = 0; i < source.size(); i++) {
                    source.get(i);
                }
            });
        });
    }

    @Test
    void invalidUtf8IsRefusedCleanly() {
        Path docs = dir.resolve("docs.jsonl");
        List<byte[]> edges = BAD_UTF8.stream().map(bad -> withInvalidUtf8(bad, new byte[0])).toList();
        forAll(100, 20260904L, edges, ParsingFuzzTest::bytesWithInvalidUtf8, FuzzInputs::describe, bytes -> {
            Files.write(dir.resolve(ImageFolderSource.METADATA_JSONL), bytes);
            Files.write(docs, bytes);
            onlyInvalidInput(() -> ImageFolderSource.open(dir));
            onlyInvalidInput(() -> JsonlDocumentSource.open(docs));
        });
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

    /** 6 in 9 the PNG cut and with 0..12 bytes changed; 2 in 9 its signature and IHDR's start, then noise; 1 noise. */
    private static byte[] damagedPng(SplittableRandom r) {
        int kind = r.nextInt(9);
        if (kind < 6) {
            byte[] b = Arrays.copyOf(PNG, r.nextInt(1, PNG.length + 1));
            for (int i = r.nextInt(13); i > 0; i--) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            return b;
        }
        byte[] noise = noise(r, 300);
        if (kind == 8) {
            return noise;
        }
        byte[] b = Arrays.copyOf(PNG, 16 + noise.length);
        System.arraycopy(noise, 0, b, 16, noise.length);
        return b;
    }

    private static String metadataLine(SplittableRandom r) {
        return metadataLine(jsonValue(r, fileName(r)), jsonValue(r, text(r, 20, JSON_SYNTAX)));
    }

    private static String metadataLine(String fileName, String text) {
        return "{\"file_name\": " + fileName + ", \"text\": " + text + "}";
    }

    private static String documentLine(SplittableRandom r) {
        if (r.nextBoolean()) {
            return pick(r, FIXED_DOCUMENTS);
        }
        List<String> parts = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            parts.add(switch (r.nextInt(3)) {
                case 0 -> "{\"text\": " + jsonValue(r, text(r, 20, JSON_SYNTAX)) + "}";
                case 1 -> "{\"image\": " + jsonValue(r, fileName(r)) + "}";
                default -> pick(r, FIXED_PARTS);
            });
        }
        return "{\"parts\": [" + String.join(", ", parts) + "]}";
    }

    /** 1 to 5 lines: 5 in 9 well formed, 3 in 9 well formed then cut or edited, 1 in 9 arbitrary text. */
    private static List<String> lines(SplittableRandom r, Function<SplittableRandom, String> wellFormed) {
        List<String> lines = new ArrayList<>();
        for (int n = r.nextInt(1, 6); n > 0; n--) {
            int kind = r.nextInt(9);
            lines.add(kind < 5 ? wellFormed.apply(r) : kind < 8 ? damaged(r, wellFormed.apply(r)) : text(r, 30, JSON_SYNTAX));
        }
        return lines;
    }

    /** 1 to 4 edits: a character deleted, a JSON-significant or non-ASCII one inserted, or the rest cut off. */
    private static String damaged(SplittableRandom r, String line) {
        String inserts = "{}[]\",:\\ \u00e9\ud83d\ude00";
        StringBuilder b = new StringBuilder(line);
        for (int i = r.nextInt(4); i >= 0 && b.length() > 0; i--) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(3)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, inserts.charAt(r.nextInt(inserts.length())));
                default -> b.setLength(at);
            }
        }
        return b.toString();
    }

    private static String fileName(SplittableRandom r) {
        return r.nextBoolean() ? pick(r, FILE_NAMES) : text(r, 12, JSON_SYNTAX);
    }

    /** Half the time the string quoted, otherwise a JSON value of another kind. */
    private static String jsonValue(SplittableRandom r, String s) {
        return r.nextBoolean() ? quote(s) : pick(r, NON_STRINGS);
    }

    private static byte[] bytesWithInvalidUtf8(SplittableRandom r) {
        return withInvalidUtf8(pick(r, BAD_UTF8), noise(r, 40));
    }

    /** A metadata line cut inside its text, then an invalid UTF-8 sequence, then noise. */
    private static byte[] withInvalidUtf8(byte[] bad, byte[] noise) {
        byte[] head = "{\"file_name\": \"a.png\", \"text\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[head.length + bad.length + noise.length];
        System.arraycopy(head, 0, b, 0, head.length);
        System.arraycopy(bad, 0, b, head.length, bad.length);
        System.arraycopy(noise, 0, b, head.length + bad.length, noise.length);
        return b;
    }

    /** The lines as UTF-8 (a lone surrogate, which the generated text may hold, becomes '?', as in any editor). */
    private static byte[] utf8(List<String> lines) {
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    private static String describeLines(List<String> lines) {
        String s = lines.size() + " lines " + quote(String.join("\n", lines));
        return s.length() > 400 ? s.substring(0, 400) + " ..." : s;
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
