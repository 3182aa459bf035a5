package dev.transfusion.server;

import com.google.protobuf.ByteString;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Encoded images for tests. */
final class TestImages {
    private TestImages() {
    }

    static ByteString jpeg(int w, int h) throws IOException {
        return encode(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "jpeg");
    }

    static ByteString gif(int w, int h) throws IOException {
        return encode(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "gif");
    }

    static ByteString png(int w, int h) throws IOException {
        return encode(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png");
    }

    /** A valid PNG header claiming {@code w x h} pixels, followed by nothing: a decompression-bomb stand-in. */
    static ByteString pngHeaderOnly(int w, int h) throws IOException {
        ByteString real = png(1, 1);
        byte[] b = real.toByteArray();
        // IHDR data starts at byte 16: width and height, big-endian; fix the chunk CRC after them
        writeInt(b, 16, w);
        writeInt(b, 20, h);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 12, 17);
        writeInt(b, 29, (int) crc.getValue());
        return ByteString.copyFrom(b, 0, 33);
    }

    /**
     * A progressive JPEG of {@code side x side} black pixels (a few tens of kilobytes) followed by
     * {@code emptyScans} DC refinement scans without data: each one makes the decoder pass over every block,
     * so a thousand of them cost minutes of decoding. The JPEG bomb of issue 19.
     */
    static ByteString jpegBomb(int side, int emptyScans) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = w.getDefaultWriteParam();
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            w.setOutput(ios);
            w.write(null, new IIOImage(new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB), null, null), p);
        } finally {
            w.dispose();
        }
        byte[] b = out.toByteArray();
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(b, 0, b.length - 2);                     // all but EOI
        byte[] sos = {(byte) 0xff, (byte) 0xda, 0, 12, 3, 1, 0, 2, 0, 3, 0, 0, 0, 0x10};   // Y, Cb, Cr; Ah 1, Al 0
        for (int i = 0; i < emptyScans; i++) {
            bomb.write(sos);
        }
        bomb.write(0xff);
        bomb.write(0xd9);
        return ByteString.copyFrom(bomb.toByteArray());
    }

    /** A one-bit {@code side x side} PNG: 8192 x 8192 compresses to a few kilobytes. */
    static ByteString onebitPng(int side) throws IOException {
        return encode(new BufferedImage(side, side, BufferedImage.TYPE_BYTE_BINARY), "png");
    }

    private static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static ByteString encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IOException("no " + format + " writer");
        }
        return ByteString.copyFrom(out.toByteArray());
    }
}
