package dev.transfusion.core.io;

import dev.transfusion.api.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An IDX array of unsigned bytes (the MNIST family's format: {@code 0x00 0x00 0x08 ndims}, then each dimension
 * as a big-endian int32, then the values), plain or gzip-compressed (detected from the bytes, not the name).
 * Only the unsigned-byte type is read: it is what image and label files use; other types are refused by name.
 *
 * @param shape  the dimensions, e.g. [60000, 28, 28] for images or [60000] for labels
 * @param values the values, row-major, each 0..255 held in a byte (read with {@code & 0xff})
 */
public record IdxArray(int[] shape, byte[] values) {
    /** The largest array read: 2^31 - 1 values, a Java array's limit. */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    /** The value at flat index {@code i}, 0..255. */
    public int at(long i) {
        return values[Math.toIntExact(i)] & 0xff;
    }

    /** Values per item (the product of every dimension but the first). */
    public int itemSize() {
        long n = 1;
        for (int d = 1; d < shape.length; d++) {
            n *= shape[d];
        }
        return (int) n;
    }

    /** Reads {@code file}; every error names it and says what was expected. */
    public static IdxArray read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw)) {
                return read(in, file);
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("IDX file " + file + " does not exist");
        } catch (EOFException e) {
            throw new InvalidInputException("IDX file " + file + " is truncated: it ends inside its header");
        } catch (IOException e) {
            throw new InvalidInputException("IDX file " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static IdxArray read(DataInputStream in, Path file) throws IOException {
        int magic = in.readInt();
        int type = (magic >>> 8) & 0xff, dims = magic & 0xff;
        if ((magic >>> 16) != 0 || dims < 1 || dims > 4) {
            throw new InvalidInputException(String.format("IDX file %s has magic number 0x%08x; expected 0x000008NN "
                    + "(unsigned bytes, NN = 1..4 dimensions), as MNIST-style image and label files have", file, magic));
        }
        if (type != 0x08) {
            throw new InvalidInputException(String.format("IDX file %s holds values of type 0x%02x; only unsigned "
                    + "bytes (0x08) are read", file, type));
        }
        int[] shape = new int[dims];
        long count = 1;
        for (int d = 0; d < dims; d++) {
            shape[d] = in.readInt();
            if (shape[d] <= 0) {
                throw new InvalidInputException("IDX file " + file + " declares dimension " + d + " as " + shape[d]
                        + "; expected a positive size");
            }
            count *= shape[d];
            if (count > MAX_VALUES) {
                throw new InvalidInputException("IDX file " + file + " declares " + Arrays.toString(shape)
                        + ": more than " + MAX_VALUES + " values");
            }
        }
        byte[] values = new byte[(int) count];
        int got = in.readNBytes(values, 0, values.length);
        if (got < values.length) {
            throw new InvalidInputException("IDX file " + file + " is truncated: its header declares "
                    + Arrays.toString(shape) + " = " + count + " values, but only " + got + " follow");
        }
        if (in.read() != -1) {
            throw new InvalidInputException("IDX file " + file + " has bytes after the " + count
                    + " values its header " + Arrays.toString(shape) + " declares");
        }
        return new IdxArray(shape, values);
    }
}
