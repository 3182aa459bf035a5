package dev.transfusion.plugins.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.datasets.shapes.ShapesDataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path tmp;

    @Test
    void pngRoundTripsExactly() {
        RgbImage img = ShapesDataset.of(ShapesDataset.Split.TRAIN).sample(0).image();
        ImageFiles.writePng(img, tmp.resolve("sub/a.png"));
        assertEquals(img, ImageFiles.read(tmp.resolve("sub/a.png")));
    }

    @Test
    void jpegIsRead() throws IOException {
        BufferedImage b = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                b.setRGB(x, y, 0x2050E0);
            }
        }
        ImageIO.write(b, "jpg", tmp.resolve("a.jpg").toFile());
        RgbImage img = ImageFiles.read(tmp.resolve("a.jpg"));
        assertEquals(40, img.width());
        assertEquals(0x20, img.channel(10, 10, 0), 6);
        assertEquals(0xE0, img.channel(10, 10, 2), 6);
    }

    @Test
    void greyBecomesEqualChannelsAndAlphaGoesOverWhite() throws IOException {
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 2, 0, 100);
        ImageIO.write(grey, "png", tmp.resolve("g.png").toFile());
        RgbImage g = ImageFiles.read(tmp.resolve("g.png"));
        assertEquals(List.of(100, 100, 100), List.of(g.channel(1, 2, 0), g.channel(1, 2, 1), g.channel(1, 2, 2)));

        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00000000);           // fully transparent black -> white
        argb.setRGB(1, 0, 0x80000000);           // half transparent black -> mid grey
        ImageIO.write(argb, "png", tmp.resolve("a.png").toFile());
        RgbImage a = ImageFiles.read(tmp.resolve("a.png"));
        assertEquals(0xFFFFFF, a.pixel(0, 0));
        assertEquals(127, a.channel(1, 0, 0), 1);
    }

    @Test
    void fitResizesTheShortSideAndCropsTheCentre() {
        // 64 x 32: left half red, right half blue, a green column in the middle
        int[] px = new int[64 * 32];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                px[y * 64 + x] = x < 32 ? 0xFF0000 : 0x0000FF;
            }
        }
        RgbImage wide = RgbImage.fromPackedRgb(64, 32, px);
        RgbImage fitted = ImageFiles.fit(wide, 16);                 // -> 32 x 16, crop columns 8..23
        assertEquals(16, fitted.width());
        assertEquals(16, fitted.height());
        assertEquals(0xFF0000, fitted.pixel(0, 0));
        assertEquals(0x0000FF, fitted.pixel(15, 15));
        RgbImage up = ImageFiles.fit(RgbImage.fromPackedRgb(2, 2, new int[] {0, 0, 0, 0}), 8);
        assertEquals(8, up.width());
        assertEquals(0, up.pixel(7, 7));
    }

    @Test
    void areaAveragingKeepsTheMean() {
        int[] px = new int[8 * 8];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % 8 + i / 8) % 2 == 0 ? 0xFFFFFF : 0x000000;   // a checkerboard
        }
        RgbImage small = RgbImage.fromPackedRgb(8, 8, px).resized(2, 2);
        for (int p : small.toPackedRgb()) {
            assertEquals(128, (p >> 16) & 0xff, 1);
        }
    }

    @Test
    void unreadableFilesAreRefusedByName() throws IOException {
        Path text = tmp.resolve("notes.png");
        Files.writeString(text, "this is not an image");
        assertNamed(text, assertThrows(InvalidInputException.class, () -> ImageFiles.read(text)));
        Path empty = tmp.resolve("empty.png");
        Files.write(empty, new byte[0]);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFiles.read(empty));
        assertNamed(empty, e);
        assertTrue(e.getMessage().contains("empty"));
        Path missing = tmp.resolve("missing.png");
        assertNamed(missing, assertThrows(InvalidInputException.class, () -> ImageFiles.read(missing)));
        Path truncated = tmp.resolve("cut.png");
        ImageFiles.writePng(ShapesDataset.of(ShapesDataset.Split.TRAIN).sample(0).image(), truncated);
        byte[] b = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(b, b.length / 2));
        assertNamed(truncated, assertThrows(InvalidInputException.class, () -> ImageFiles.read(truncated)));
    }

    @Test
    void hugeImagesAreRefusedFromTheHeader() throws IOException {
        // a PNG whose header claims 20000 x 20000 pixels and has no pixel data: only the header is read
        Path bomb = tmp.resolve("bomb.png");
        Files.write(bomb, pngHeaderOnly(20_000, 20_000));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFiles.read(bomb));
        assertNamed(bomb, e);
        assertTrue(e.getMessage().contains("20000x20000"), e.getMessage());
    }

    @Test
    void foldersMustHoldImages() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("imgs"));
        assertThrows(InvalidInputException.class, () -> ImageFiles.list(dir));
        assertThrows(InvalidInputException.class, () -> ImageFiles.list(tmp.resolve("nope")));
        Files.writeString(dir.resolve("readme.txt"), "x");
        ImageFiles.writePng(RgbImage.blank(2, 2), dir.resolve("b.PNG"));
        ImageFiles.writePng(RgbImage.blank(2, 2), dir.resolve("a.png"));
        assertEquals(List.of(dir.resolve("a.png"), dir.resolve("b.PNG")), ImageFiles.list(dir));
    }

    @Test
    void gridPutsOriginalsAboveReconstructions() {
        RgbImage red = RgbImage.fromPackedRgb(1, 1, new int[] {0xFF0000});
        RgbImage blue = RgbImage.fromPackedRgb(1, 1, new int[] {0x0000FF});
        RgbImage grid = ReconstructionGrid.compose(List.of(red, red, red), List.of(blue, blue, blue), 2);
        assertEquals(2 + 2 * 3, grid.width());            // gap + 2 x (cell + gap)
        assertEquals(2 + 2 * (2 * 3 + 2), grid.height());  // gap + 2 bands of (2 x (cell + gap) + gap)
        assertEquals(0xFF0000, grid.pixel(2, 2));
        assertEquals(0x0000FF, grid.pixel(2, 5));
        assertEquals(0xFF0000, grid.pixel(2, 10));
        assertEquals(0x808080, grid.pixel(5, 10));         // the empty cell of the last band
    }

    private static void assertNamed(Path file, Exception e) {
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    private static byte[] pngHeaderOnly(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        out.write(ByteBuffer.allocate(4).putInt(13).array());
        out.write(ihdr.array());
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }
}
