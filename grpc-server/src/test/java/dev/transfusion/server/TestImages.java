package dev.transfusion.server;

import com.google.protobuf.ByteString;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

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
