package dev.transfusion.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files as MNIST ships them, plain and gzip, and every malformed header named. */
class IdxArrayTest {
    @TempDir
    Path dir;

    static byte[] idx(int magic, int[] shape, int values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : shape) {
            out.writeInt(d);
        }
        for (int i = 0; i < values; i++) {
            out.writeByte(i * 7);
        }
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] bytes, boolean gzip) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(f)) : Files.newOutputStream(f)) {
            out.write(bytes);
        }
        return f;
    }

    @Test
    void readsImagesAndLabelsPlainOrGzipped() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            IdxArray images = IdxArray.read(write("images" + gzip, idx(0x803, new int[] {2, 3, 4}, 24), gzip));
            assertArrayEquals(new int[] {2, 3, 4}, images.shape());
            assertEquals(12, images.itemSize());
            assertEquals((23 * 7) & 0xff, images.at(23));   // unsigned: 161, not -95
            IdxArray labels = IdxArray.read(write("labels" + gzip, idx(0x801, new int[] {5}, 5), gzip));
            assertArrayEquals(new int[] {5}, labels.shape());
            assertEquals(28, labels.at(4));
        }
    }

    @Test
    void malformedFilesAreRefusedNamingTheFileAndTheExpectation() throws IOException {
        Path wrongMagic = write("wrong-magic", idx(0x0803_0000, new int[] {1}, 1), false);
        assertEquals("IDX file " + wrongMagic + " has magic number 0x08030000; expected 0x000008NN (unsigned bytes, "
                + "NN = 1..4 dimensions), as MNIST-style image and label files have", message(wrongMagic));
        Path floats = write("floats", idx(0x0d01, new int[] {1}, 4), false);
        assertEquals("IDX file " + floats + " holds values of type 0x0d; only unsigned bytes (0x08) are read",
                message(floats));
        byte[] whole = idx(0x803, new int[] {2, 3, 4}, 24);
        Path truncated = write("truncated.gz", Arrays.copyOf(whole, whole.length - 5), true);
        assertEquals("IDX file " + truncated + " is truncated: its header declares [2, 3, 4] = 24 values, but only 19"
                + " follow", message(truncated));
        Path headerOnly = write("header-only", Arrays.copyOf(whole, 6), false);
        assertEquals("IDX file " + headerOnly + " is truncated: it ends inside its header", message(headerOnly));
        Path extra = write("extra", Arrays.copyOf(whole, whole.length + 1), false);
        assertEquals("IDX file " + extra + " has bytes after the 24 values its header [2, 3, 4] declares",
                message(extra));
        Path negative = write("negative", idx(0x801, new int[] {-3}, 0), false);
        assertEquals("IDX file " + negative + " declares dimension 0 as -3; expected a positive size", message(negative));
        Path huge = write("huge", idx(0x803, new int[] {60000, 60000, 60000}, 0), false);
        // refused as soon as the product passes the limit, before the third size is read
        assertEquals("IDX file " + huge + " declares [60000, 60000, 0]: more than 2147483639 values", message(huge));
        assertEquals("IDX file " + dir.resolve("missing") + " does not exist", message(dir.resolve("missing")));
    }

    private static String message(Path file) {
        return assertThrows(InvalidInputException.class, () -> IdxArray.read(file)).getMessage();
    }
}
