package dev.transfusion.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's one image decoder: alpha, greyscale and 16-bit as the formats mean them; bombs refused. */
class ImageCodecsTest {

    static byte[] png(BufferedImage img) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "png", out));
        return out.toByteArray();
    }

    @Test
    void transparencyIsCompositedOverWhite() throws Exception {
        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x00ff0000);   // fully transparent red: white
        rgba.setRGB(1, 0, 0x80000000);   // half-transparent black: mid grey
        byte[] bytes = png(rgba);
        RgbImage img = RgbImage.decode(bytes, "rgba.png");
        assertEquals(0xffffff, img.pixel(0, 0));
        assertEquals(0x7f7f7f, img.pixel(1, 0));
        ImageHeader h = ImageCodecs.header(bytes, "rgba.png");
        assertEquals(new ImageHeader("png", 2, 1, 4, 8, 1), h);
    }

    @Test
    void greyscaleIsReadAsStoredLevelsIn8And16Bits() throws Exception {
        BufferedImage g8 = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        g8.getRaster().setSample(0, 0, 0, 100);
        g8.getRaster().setSample(1, 0, 0, 200);
        byte[] b8 = png(g8);
        RgbImage img = RgbImage.decode(b8, "g8.png");
        assertEquals(0x646464, img.pixel(0, 0), "stored 100, not brightened as linear light");
        assertEquals(0xc8c8c8, img.pixel(1, 0));
        assertTrue(img.isGrey(), "a greyscale PNG is read as one channel");
        assertEquals(1, ImageCodecs.header(b8, "g8").channels());
        assertTrue(ImageCodecs.header(b8, "g8").grey());

        BufferedImage g16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = g16.getRaster();
        r.setSample(0, 0, 0, 0x8080);
        byte[] b16 = png(g16);
        assertEquals(0x808080, RgbImage.decode(b16, "g16.png").pixel(0, 0));
        ImageHeader h = ImageCodecs.header(b16, "g16");
        assertEquals(1, h.channels());
        assertEquals(16, h.bits());
    }

    @Test
    void aGreyImageIsWrittenAsAGreyscalePngAndReadBackGrey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        byte[] levels = new byte[6 * 5];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = (byte) (i * 8 + 3);
        }
        RgbImage grey = RgbImage.grey(6, 5, levels);
        byte[] png = grey.encodePng();
        assertEquals(new ImageHeader("png", 6, 5, 1, 8, 1), ImageCodecs.header(png, "grey.png"),
                "one channel on disk, not RGB");
        RgbImage back = RgbImage.decode(png, "grey.png");
        assertTrue(back.isGrey());
        assertEquals(grey, back, "every level survives, none brightened or darkened");
        assertArrayEquals(levels, back.greyLevels());
        java.nio.file.Path file = dir.resolve("sub/grey.png");
        grey.write(file);
        assertEquals(grey, RgbImage.read(file));
        java.nio.file.Path jpeg = dir.resolve("grey.jpg");
        grey.write(jpeg);
        assertTrue(RgbImage.read(jpeg).isGrey(), "a grey JPEG stays one channel");
    }

    @Test
    void colourImagesStayColourAndConvertToGreyByLuma() {
        RgbImage colour = RgbImage.fromPackedRgb(2, 1, new int[] {0xff0000, 0x808080});
        assertEquals(3, colour.channels());
        RgbImage back = RgbImage.decode(colour.encodePng(), "c.png");
        assertEquals(colour, back, "an RGB image whose pixels happen to include greys is still RGB");
        assertEquals(3, ImageCodecs.header(colour.encodePng(), "c.png").channels());
        RgbImage grey = colour.toGrey();
        assertEquals(76, grey.channel(0, 0, 0), "0.299 * 255, rounded");
        assertEquals(0x808080, grey.pixel(1, 0));
        assertEquals(colour.toColour(), colour);
        assertEquals(3, grey.toColour().channels());
        assertEquals(grey.toColour().rgb().length, grey.rgb().length);
    }

    @Test
    void aGreyImageMustBeGrey() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new RgbImage(2, 1, new byte[] {1, 1, 1, 1, 2, 1}, 1));
        assertEquals("a grey RgbImage needs r = g = b in every pixel; pixel (1, 0) is not grey", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> new RgbImage(1, 1, new byte[3], 2));
        assertEquals("RgbImage channels must be 1 (grey) or 3 (RGB), got 2", e.getMessage());
    }

    @Test
    void theSizeIsCheckedFromTheHeaderBeforeDecoding() throws Exception {
        byte[] onebit = png(new BufferedImage(8192, 8192, BufferedImage.TYPE_BYTE_BINARY));   // a few KB
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ImageCodecs.decode(onebit, "bomb.png", 1024 * 1024, null));
        assertEquals("bomb.png is 8192x8192 pixels, over the limit of 1048576", e.getMessage());
        ImageHeader h = ImageCodecs.header(onebit, "bomb.png");
        assertEquals(1, h.channels(), "a one-bit grey PNG is grey");
        assertEquals(1, h.bits());
    }

    @Test
    void aJpegOfThousandsOfScansIsRefusedBeforeDecoding() throws Exception {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = w.getDefaultWriteParam();
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            w.setOutput(ios);
            w.write(null, new IIOImage(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), null, null), p);
        }
        byte[] normal = out.toByteArray();
        int scans = ImageCodecs.header(normal, "normal.jpg").scans();
        assertTrue(scans > 1 && scans <= ImageCodecs.MAX_JPEG_SCANS, "a progressive JPEG has a few scans: " + scans);
        assertEquals(64, RgbImage.decode(normal, "normal.jpg").width());

        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(normal, 0, normal.length - 2);
        byte[] sos = {(byte) 0xff, (byte) 0xda, 0, 12, 3, 1, 0, 2, 0, 3, 0, 0, 0, 0x10};
        for (int i = 0; i < 1000; i++) {
            bomb.write(sos);
        }
        bomb.write(new byte[] {(byte) 0xff, (byte) 0xd9});
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> RgbImage.decode(bomb.toByteArray(), "bomb.jpg"));
        assertTrue(e.getMessage().startsWith("bomb.jpg is a JPEG of more than 32 scans"), e.getMessage());
    }

    @Test
    void aCancelledDecodeStops() throws Exception {
        byte[] bytes = png(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB));
        Cancellation c = new Cancellation();
        c.cancel();
        assertThrows(java.util.concurrent.CancellationException.class,
                () -> ImageCodecs.decode(bytes, "a.png", RgbImage.MAX_PIXELS, c));
    }

    @Test
    void writeThenReadGivesTheSamePixels(@TempDir Path dir) {
        RgbImage img = RgbImage.fromPackedRgb(2, 2, new int[] {0xff0000, 0x00ff00, 0x0000ff, 0x123456});
        Path file = dir.resolve("sub/a.png");
        img.write(file);
        assertEquals(img, RgbImage.read(file));
        assertArrayEquals(img.rgb(), RgbImage.decode(img.encodePng(), "bytes").rgb());
    }

    @Test
    void badFilesAreNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.png");
        assertEquals("image " + missing + " does not exist or is not a file",
                assertThrows(InvalidInputException.class, () -> RgbImage.read(missing)).getMessage());
        Path text = Files.writeString(dir.resolve("a.png"), "not an image");
        assertTrue(assertThrows(InvalidInputException.class, () -> RgbImage.read(text)).getMessage()
                .startsWith("image " + text + " (12 bytes) is not in an image format"));
    }
}
