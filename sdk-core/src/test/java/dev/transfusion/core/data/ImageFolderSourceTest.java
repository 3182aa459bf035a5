package dev.transfusion.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Document;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hugging Face imagefolder listings: good rows load, each bad row is named. */
class ImageFolderSourceTest {
    @TempDir
    Path dir;

    /** A PNG of the given type, every pixel set by {@code rgb} (ARGB for alpha types). */
    static void png(Path file, int w, int h, int type, int argb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, argb);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    /** A grey PNG whose stored level is {@code level}. */
    static void greyPng(Path file, int level) throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                img.getRaster().setSample(x, y, 0, level);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    /** A PNG header claiming {@code w x h} pixels with no image data: readable size, undecodable body. */
    static void hugePngHeader(Path file, int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
                .putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        out.write(ByteBuffer.allocate(4).putInt(13).array());
        out.write(ihdr.array());
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        Files.write(file, out.toByteArray());
    }

    void metadata(String... lines) throws IOException {
        Files.writeString(dir.resolve("metadata.jsonl"), String.join("\n", lines) + "\n");
    }

    @Test
    void goodRowsLoadAsCaptionThenImage() throws IOException {
        png(dir.resolve("red.png"), 4, 3, BufferedImage.TYPE_INT_RGB, 0xDC2828);
        png(dir.resolve("sub/clear.png"), 2, 2, BufferedImage.TYPE_INT_ARGB, 0x00000000);   // fully transparent
        png(dir.resolve("half.png"), 1, 1, BufferedImage.TYPE_INT_ARGB, 0x80000000);        // half-transparent black
        greyPng(dir.resolve("grey.png"), 100);
        metadata("{\"file_name\": \"red.png\", \"text\": \"a red square\"}",
                "",
                "{\"file_name\": \"sub/clear.png\", \"text\": \"nothing\", \"extra\": 1}",
                "{\"file_name\": \"half.png\", \"text\": \"grey by alpha\"}",
                "{\"file_name\": \"grey.png\", \"text\": \"grey\"}");
        ImageFolderSource src = ImageFolderSource.open(dir);
        assertEquals(4, src.size());
        Document d = src.get(0);
        assertEquals(new TextPart("a red square"), d.parts().get(0));
        RgbImage red = ((ImagePart) d.parts().get(1)).image();
        assertEquals(4, red.width());
        assertEquals(3, red.height());
        assertEquals(0xDC2828, red.pixel(3, 2));
        assertEquals(0xFFFFFF, src.image(1).pixel(1, 1), "transparent is white");
        assertEquals(0x7F7F7F, src.image(2).pixel(0, 0), "black at alpha 128 over white: 255 * 127 / 255");
        assertEquals(0x646464, src.image(3).pixel(2, 1), "stored grey level 100 stays 100");
        assertTrue(src.describe(2).endsWith("metadata.jsonl line 4"), src.describe(2));
        assertEquals(4, src.stream().count());
    }

    @Test
    void manifestTsvIsReadToo() throws IOException {
        png(dir.resolve("a.png"), 2, 2, BufferedImage.TYPE_INT_RGB, 0x123456);
        Files.writeString(dir.resolve("manifest.tsv"), "a.png\ta blue thing\n");
        ImageFolderSource src = ImageFolderSource.open(dir);
        assertEquals("a blue thing", src.entries().get(0).caption());
        assertEquals(0x123456, src.image(0).pixel(0, 0));
    }

    private InvalidInputException bad(String line2) throws IOException {
        png(dir.resolve("ok.png"), 2, 2, BufferedImage.TYPE_INT_RGB, 0);
        metadata("{\"file_name\": \"ok.png\", \"text\": \"fine\"}", line2);
        return assertThrows(InvalidInputException.class, () -> ImageFolderSource.open(dir));
    }

    private static void names(InvalidInputException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should name " + p);
        }
    }

    @Test
    void badJsonIsNamedWithItsLine() throws IOException {
        names(bad("{\"file_name\": \"ok.png\", \"text\": "), "metadata.jsonl line 2", "not valid JSON");
    }

    @Test
    void notAnObjectIsNamed() throws IOException {
        names(bad("[1, 2]"), "metadata.jsonl line 2", "expected a JSON object");
    }

    @Test
    void missingFieldsAreNamed() throws IOException {
        names(bad("{\"file_name\": \"ok.png\"}"), "metadata.jsonl line 2", "missing field 'text'");
    }

    @Test
    void missingFileNameIsNamed() throws IOException {
        names(bad("{\"text\": \"no file\"}"), "metadata.jsonl line 2", "missing field 'file_name'");
    }

    @Test
    void nonStringFieldIsNamed() throws IOException {
        names(bad("{\"file_name\": 5, \"text\": \"x\"}"), "metadata.jsonl line 2", "'file_name' must be a string");
    }

    @Test
    void missingImageFileIsNamed() throws IOException {
        names(bad("{\"file_name\": \"gone.png\", \"text\": \"x\"}"), "metadata.jsonl line 2", "gone.png", "does not exist");
    }

    @Test
    void escapingTheFolderIsRefused() throws IOException {
        names(bad("{\"file_name\": \"../../etc/passwd\", \"text\": \"x\"}"), "line 2", "'../../etc/passwd'",
                "escapes the folder");
        names(bad("{\"file_name\": \"/etc/passwd\", \"text\": \"x\"}"), "line 2", "'/etc/passwd'", "escapes the folder");
        names(bad("{\"file_name\": \"sub/../../x.png\", \"text\": \"x\"}"), "line 2", "escapes the folder");
    }

    @Test
    void linksLeadingOutAreRefused() throws IOException {
        Path outside = Files.createTempFile("outside", ".png");
        try {
            png(outside, 1, 1, BufferedImage.TYPE_INT_RGB, 0);
            Files.createSymbolicLink(dir.resolve("link.png"), outside);
            names(bad("{\"file_name\": \"link.png\", \"text\": \"x\"}"), "line 2", "through a link");
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void imagesOverThePixelLimitAreRefusedBeforeDecoding() throws IOException {
        hugePngHeader(dir.resolve("huge.png"), 10_000, 10_000);
        metadata("{\"file_name\": \"huge.png\", \"text\": \"too big\"}");
        ImageFolderSource src = ImageFolderSource.open(dir);
        var e = assertThrows(InvalidInputException.class, () -> src.get(0));
        names(e, "metadata.jsonl line 1", "huge.png", "10000x10000", "over the limit");
    }

    @Test
    void undecodableFilesAreNamed() throws IOException {
        Files.writeString(dir.resolve("text.png"), "not an image");
        metadata("{\"file_name\": \"text.png\", \"text\": \"x\"}");
        ImageFolderSource src = ImageFolderSource.open(dir);
        names(assertThrows(InvalidInputException.class, () -> src.get(0)), "line 1", "text.png", "not in an image format");
    }

    @Test
    void zeroSizeImagesAreNamed() throws IOException {
        hugePngHeader(dir.resolve("empty.png"), 0, 0);
        metadata("{\"file_name\": \"empty.png\", \"text\": \"nothing\"}");
        ImageFolderSource src = ImageFolderSource.open(dir);
        names(assertThrows(InvalidInputException.class, () -> src.get(0)), "line 1", "empty.png", "cannot be decoded",
                "(Image width <= 0!)");
    }

    @Test
    void aListingThatIsNotUtf8IsNamed() throws IOException {
        png(dir.resolve("ok.png"), 2, 2, BufferedImage.TYPE_INT_RGB, 0);
        Files.write(dir.resolve("metadata.jsonl"), new byte[] {'{', '"', 't', (byte) 0xff, '"', '}', '\n'});
        names(assertThrows(InvalidInputException.class, () -> ImageFolderSource.open(dir)), "metadata.jsonl",
                "it must be UTF-8 text");
    }

    @Test
    void aFolderWithoutListingIsNamed() {
        names(assertThrows(InvalidInputException.class, () -> ImageFolderSource.open(dir)), "metadata.jsonl", "manifest.tsv");
    }
}
