package dev.transfusion.core.io;

import dev.transfusion.api.CheckpointException;
import dev.transfusion.api.InvalidInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array (format 1.0-3.0, C order, little-endian) of float32, float64, int32,
 * int64 or bool, held as doubles. The reference's fixtures and our weight exports use this format.
 *
 * @param shape  the dimensions
 * @param values the values, row-major
 * @param dtype  the NumPy dtype code it was read as ({@code <f4}, {@code <f8}, {@code <i8}, {@code |b1}, ...)
 */
public record NpyArray(long[] shape, double[] values, String dtype) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** The values as floats. */
    public float[] floats() {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    /** The values as ints (they must be whole numbers). */
    public int[] ints() {
        int[] r = new int[values.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (int) values[i];
        }
        return r;
    }

    /** The values as booleans (non-zero is true). */
    public boolean[] booleans() {
        boolean[] r = new boolean[values.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = values[i] != 0;
        }
        return r;
    }

    /** Reads a file; errors name the file and what was wrong. */
    public static NpyArray read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidInputException("npy file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e, e);
        }
        try {
            return parse(bytes);
        } catch (RuntimeException e) {
            throw new InvalidInputException(file + " is not a readable .npy array: " + e.getMessage(), e);
        }
    }

    private static NpyArray parse(byte[] b) {
        if (b.length < 10 || !Arrays.equals(Arrays.copyOf(b, 6), MAGIC)) {
            throw new IllegalArgumentException("it does not start with the \\x93NUMPY magic of the format");
        }
        int major = b[6];
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : buf.getInt(8);
        int dataStart = (major == 1 ? 10 : 12) + headerLen;
        String header = new String(b, major == 1 ? 10 : 12, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header), o = ORDER.matcher(header), s = SHAPE.matcher(header);
        if (!d.find() || !o.find() || !s.find()) {
            throw new IllegalArgumentException("header lacks descr, fortran_order or shape: " + header.trim());
        }
        if (o.group(1).equals("True")) {
            throw new IllegalArgumentException("Fortran order is not supported");
        }
        String dtype = d.group(1);
        long[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long n = 1;
        for (long x : shape) {
            n *= x;
        }
        int item = switch (dtype) {
            case "<f8", "<i8" -> 8;
            case "<f4", "<i4" -> 4;
            default -> 1;
        };
        if (dataStart > b.length || (long) (b.length - dataStart) < n * item) {
            throw new IllegalArgumentException("it is truncated: its header declares shape " + Arrays.toString(shape)
                    + " of " + dtype + " (" + n * item + " bytes of values), but only "
                    + Math.max(0, b.length - dataStart) + " follow");
        }
        double[] v = new double[Math.toIntExact(n)];
        buf.position(dataStart);
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (dtype) {
                case "<f4" -> buf.getFloat();
                case "<f8" -> buf.getDouble();
                case "<i4" -> buf.getInt();
                case "<i8" -> buf.getLong();
                case "|b1", "|u1" -> buf.get() & 0xff;
                default -> throw new IllegalArgumentException("unsupported dtype " + dtype
                        + " (expected <f4, <f8, <i4, <i8, |u1 or |b1)");
            };
        }
        if (buf.remaining() != 0) {
            throw new IllegalArgumentException(buf.remaining() + " trailing bytes after " + n + " values");
        }
        return new NpyArray(shape, v, dtype);
    }

    /**
     * Reads a float32 tensor that must have {@code shape}: a parameter or moment in a model, checkpoint or
     * codec directory.
     *
     * @throws CheckpointException naming the file when it is missing, unreadable, or of another shape
     */
    public static float[] readTensor(Path file, long[] shape) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("tensor file " + file + " is missing");
        }
        NpyArray a;
        try {
            a = read(file);
        } catch (RuntimeException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
        if (!Arrays.equals(a.shape(), shape)) {
            throw new CheckpointException(file + ": expected shape " + Arrays.toString(shape) + ", got "
                    + Arrays.toString(a.shape()));
        }
        return a.floats();
    }

    /** Writes a float32 tensor to {@code file}; refuses values that do not fill {@code shape}. */
    public static void writeTensor(Path file, long[] shape, float[] values) throws IOException {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(file.getFileName() + ": " + values.length + " values do not fill the "
                    + "shape " + Arrays.toString(shape));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            writeFloats(out, shape, values);
        }
    }

    /** Writes float32 values of the given shape to {@code out}. */
    public static void writeFloats(OutputStream out, long[] shape, float[] values) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (long x : shape) {
            dims.append(x).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, Math.max(0, dims.length() - 2)) + ")";
        String h = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int total = 10 + h.length() + 1;
        int pad = (64 - total % 64) % 64;
        h = h + " ".repeat(pad) + "\n";
        ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length());
        out.write(head.array());
        out.write(h.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : values) {
            data.putFloat(f);
        }
        out.write(data.array());
    }
}
