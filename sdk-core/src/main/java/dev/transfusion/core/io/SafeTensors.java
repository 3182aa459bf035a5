package dev.transfusion.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transfusion.api.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A safetensors file: 8 bytes of little-endian header length N, N bytes of JSON giving each tensor's dtype,
 * shape and [begin, end) byte range in the data that follows, then the raw little-endian tensors. Written
 * as Hugging Face's safetensors library writes float32 tensors (sorted by name, compact JSON, metadata first,
 * the header padded with spaces to a multiple of 8), so that the bytes compare with its files; read with
 * its checks (ranges that tile the data exactly, sizes that match the shapes). Ours: no well-kept Java
 * reader exists on Maven Central outside large frameworks (DJL's needs its engine API).
 */
public final class SafeTensors {
    /** The header size the safetensors library accepts at most. */
    public static final long MAX_HEADER = 100_000_000;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String METADATA = "__metadata__";

    /**
     * One tensor, held as floats whatever its stored dtype.
     *
     * @param dtype  the stored dtype: F32, F64, F16 or BF16
     * @param shape  the dimensions
     * @param values the values, row-major
     */
    public record Tensor(String dtype, long[] shape, float[] values) {
    }

    /**
     * A file's contents.
     *
     * @param tensors  by name, in file order
     * @param metadata the {@code __metadata__} strings (empty when absent)
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    private SafeTensors() {
    }

    /** Writes float32 tensors (their {@code dtype} is ignored) and string metadata to {@code file}. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Files.write(file, toBytes(tensors, metadata));
    }

    /** The file's bytes for float32 tensors and string metadata. */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        // the library sorts by dtype (all F32 here), then by name as bytes
        Map<String, Tensor> sorted = new TreeMap<>(Comparator.comparing((String n) -> n.getBytes(StandardCharsets.UTF_8),
                Arrays::compareUnsigned));
        sorted.putAll(tensors);
        StringBuilder h = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            h.append('"').append(METADATA).append("\":{");
            String sep = "";
            for (var e : new TreeMap<>(metadata).entrySet()) {
                h.append(sep).append(JSON.writeValueAsString(e.getKey())).append(':').append(JSON.writeValueAsString(e.getValue()));
                sep = ",";
            }
            h.append("},");
        }
        long offset = 0;
        for (var e : sorted.entrySet()) {
            Tensor t = e.getValue();
            if (t.values().length != elements(t.shape(), e.getKey())) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " has " + t.values().length
                        + " values but shape " + Arrays.toString(t.shape()));
            }
            long end = offset + 4L * t.values().length;
            h.append(JSON.writeValueAsString(e.getKey())).append(":{\"dtype\":\"F32\",\"shape\":[");
            for (int i = 0; i < t.shape().length; i++) {
                h.append(i == 0 ? "" : ",").append(t.shape()[i]);
            }
            h.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]},");
            offset = end;
        }
        h.setLength(h.length() - (h.length() > 1 ? 1 : 0));
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        int padded = header.length + (8 - header.length % 8) % 8;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(header);
        for (int i = header.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : sorted.values()) {
            for (float f : t.values()) {
                out.putFloat(f);
            }
        }
        return out.array();
    }

    /** Reads a file; errors name the file and what was wrong. */
    public static Contents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            throw new InvalidInputException("cannot read " + file + ": " + e, e);
        }
        try {
            return parse(bytes);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidInputException(file + " is not a readable safetensors file: " + e.getMessage(), e);
        }
    }

    static Contents parse(byte[] b) {
        if (b.length < 8) {
            throw new IllegalArgumentException("it has " + b.length + " bytes, fewer than the 8 of the header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        if (n < 2 || n > MAX_HEADER || n > b.length - 8L) {
            throw new IllegalArgumentException("header length " + Long.toUnsignedString(n) + " is outside 2.."
                    + Math.min(MAX_HEADER, b.length - 8L) + " (the file has " + b.length + " bytes)");
        }
        if (b[8] != '{') {
            throw new IllegalArgumentException("the header does not start with '{'");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(b, 8, (int) n, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the header is not valid JSON: " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) {
            throw new IllegalArgumentException("the header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        record Entry(String name, String dtype, long[] shape, long begin, long end) {
        }
        List<Entry> entries = new ArrayList<>();
        for (var it = header.fields(); it.hasNext(); ) {
            var f = it.next();
            JsonNode v = f.getValue();
            if (f.getKey().equals(METADATA)) {
                if (!v.isObject()) {
                    throw new IllegalArgumentException(METADATA + " is not an object of strings");
                }
                for (var m = v.fields(); m.hasNext(); ) {
                    var e = m.next();
                    if (!e.getValue().isTextual()) {
                        throw new IllegalArgumentException(METADATA + "." + e.getKey() + " is not a string");
                    }
                    metadata.put(e.getKey(), e.getValue().asText());
                }
                continue;
            }
            String name = f.getKey();
            JsonNode shape = v.path("shape"), offsets = v.path("data_offsets");
            if (!v.path("dtype").isTextual() || !shape.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw new IllegalArgumentException("tensor " + name + " lacks a dtype, a shape array or two data_offsets");
            }
            long[] dims = new long[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = whole(shape.get(i), "tensor " + name + " shape");
            }
            entries.add(new Entry(name, v.path("dtype").asText(), dims, whole(offsets.get(0), "tensor " + name + " offsets"),
                    whole(offsets.get(1), "tensor " + name + " offsets")));
        }
        // the ranges must tile the data: sorted by start, each begins where the last ended
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long dataStart = 8 + n, dataLength = b.length - dataStart, at = 0;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            int size = switch (e.dtype()) {
                case "F32" -> 4;
                case "F64" -> 8;
                case "F16", "BF16" -> 2;
                default -> throw new IllegalArgumentException("tensor " + e.name() + " has dtype " + e.dtype()
                        + "; expected F32, F64, F16 or BF16");
            };
            long count = elements(e.shape(), e.name());
            if (e.begin() != at || e.end() < e.begin() || e.end() > dataLength) {
                throw new IllegalArgumentException("tensor " + e.name() + " has data_offsets [" + e.begin() + ", "
                        + e.end() + "]; expected to start at " + at + " and end by " + dataLength);
            }
            if (e.end() - e.begin() != Math.multiplyExact(count, size)) {
                throw new IllegalArgumentException("tensor " + e.name() + " holds " + (e.end() - e.begin())
                        + " bytes but its shape " + Arrays.toString(e.shape()) + " of " + e.dtype() + " needs " + count * size);
            }
            float[] values = new float[Math.toIntExact(count)];
            buf.position(Math.toIntExact(dataStart + e.begin()));
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (size) {
                    case 4 -> buf.getFloat();
                    case 8 -> (float) buf.getDouble();
                    default -> e.dtype().equals("F16") ? halfToFloat(buf.getShort())
                            : Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
                };
            }
            tensors.put(e.name(), new Tensor(e.dtype(), e.shape(), values));
            at = e.end();
        }
        if (at != dataLength) {
            throw new IllegalArgumentException((dataLength - at) + " bytes after the last tensor");
        }
        return new Contents(tensors, metadata);
    }

    /** IEEE 754 binary16 to float (Float.float16ToFloat arrived after Java 17). */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16, exp = (h >>> 10) & 0x1f, mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));     // infinity or NaN
        }
        if (exp == 0) {
            float sub = mant * 0x1p-24f;                                      // zero or subnormal
            return sign == 0 ? sub : -sub;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static long whole(JsonNode v, String what) {
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new IllegalArgumentException(what + " has " + v + "; expected a whole number >= 0");
        }
        return v.asLong();
    }

    private static long elements(long[] shape, String name) {
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor " + name + " has " + count + " elements, more than one array holds");
        }
        return count;
    }
}
