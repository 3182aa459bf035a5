package dev.transfusion.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safetensors against files laid out by make_small.py (the format's description, not our code). */
class SafeTensorsTest {

    static Path fixture(String name) throws Exception {
        return Path.of(SafeTensorsTest.class.getResource("/safetensors/" + name).toURI());
    }

    static Map<String, SafeTensors.Tensor> small() {
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();   // not in file order: the writer sorts
        t.put("layers.2.w", new SafeTensors.Tensor("F32", new long[] {2}, new float[] {0.25f, -0.125f}));
        t.put("a.weight", new SafeTensors.Tensor("F32", new long[] {2, 3}, new float[] {-1, -0.5f, 0, 0.5f, 1, 1.5f}));
        t.put("layers.10.w", new SafeTensors.Tensor("F32", new long[] {1, 1}, new float[] {7}));
        t.put("b.bias", new SafeTensors.Tensor("F32", new long[] {3}, new float[] {1.5f, -2, 3.25f}));
        return t;
    }

    @Test
    void theWriterGivesTheCommittedFixtureByteForByte() throws Exception {
        byte[] ours = SafeTensors.toBytes(small(), Map.of("format", "pt"));
        assertArrayEquals(Files.readAllBytes(fixture("small.safetensors")), ours);
    }

    @Test
    void theFixtureReadsBackItsNamesShapesValuesAndMetadata() throws Exception {
        SafeTensors.Contents c = SafeTensors.read(fixture("small.safetensors"));
        assertEquals(Map.of("format", "pt"), c.metadata());
        assertEquals(List.of("a.weight", "b.bias", "layers.10.w", "layers.2.w"), List.copyOf(c.tensors().keySet()));
        small().forEach((name, t) -> {
            assertArrayEquals(t.shape(), c.tensors().get(name).shape(), name);
            assertArrayEquals(t.values(), c.tensors().get(name).values(), name);
        });
    }

    @Test
    void doubleHalfAndBrainFloatTensorsReadAsFloats() throws Exception {
        SafeTensors.Contents c = SafeTensors.read(fixture("mixed.safetensors"));
        assertArrayEquals(new float[] {1f / 3, -2.5f, 1e-3f}, c.tensors().get("d").values());
        assertArrayEquals(new float[] {0.5f, -65504f, 6.103515625e-05f}, c.tensors().get("h").values());
        assertArrayEquals(new float[] {1f, -3f, 0.15625f}, c.tensors().get("g").values());
        assertEquals("BF16", c.tensors().get("g").dtype());
    }

    @Test
    void halfFloatsCoverSubnormalsInfinityAndNegativeZero() {
        assertEquals(Float.POSITIVE_INFINITY, SafeTensors.halfToFloat((short) 0x7c00));
        assertTrue(Float.isNaN(SafeTensors.halfToFloat((short) 0x7e00)));
        assertEquals(0x1p-24f, SafeTensors.halfToFloat((short) 0x0001));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(SafeTensors.halfToFloat((short) 0x8000)));
        assertEquals(-2f, SafeTensors.halfToFloat((short) 0xc000));
    }

    @Test
    void writeThenReadIsExactForAnyFloat(@TempDir Path tmp) throws Exception {
        float[] odd = {Float.MIN_VALUE, -Float.MAX_VALUE, Float.NaN, -0f, 1e-38f, 123456.789f};
        Path f = tmp.resolve("x.safetensors");
        SafeTensors.write(f, Map.of("w", new SafeTensors.Tensor("F32", new long[] {3, 2}, odd)), Map.of());
        float[] back = SafeTensors.read(f).tensors().get("w").values();
        for (int i = 0; i < odd.length; i++) {
            assertEquals(Float.floatToRawIntBits(odd[i]), Float.floatToRawIntBits(back[i]), "value " + i);
        }
        assertEquals(0, (Files.size(f) - 8 - odd.length * 4) % 8, "header padded to a multiple of 8");
    }

    @Test
    void badFilesAreRefusedNamingTheFileAndTheProblem(@TempDir Path tmp) throws Exception {
        byte[] good = Files.readAllBytes(fixture("small.safetensors"));
        expectRefused(tmp, "short", new byte[] {1, 2, 3}, "fewer than the 8");
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        expectRefused(tmp, "huge", huge, "header length 1099511627776 is outside");
        expectRefused(tmp, "truncated", java.util.Arrays.copyOf(good, good.length - 4), "data_offsets [40, 48]");
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 4);
        expectRefused(tmp, "trailing", trailing, "4 bytes after the last tensor");
        expectRefused(tmp, "dtype", edit(good, "\"F32\",\"shape\":[3]", "\"I32\",\"shape\":[3]"), "dtype I32");
        expectRefused(tmp, "shape", edit(good, "\"shape\":[2,3]", "\"shape\":[3,3]"), "needs 36");
        expectRefused(tmp, "negative", edit(good, "[24,36]", "[-4,36]"), "expected a whole number");
        expectRefused(tmp, "overlap", edit(good, "[24,36]", "[20,32]"), "expected to start at 24");
        expectRefused(tmp, "json", edit(good, "\"format\":", "\"format\" "), "not valid JSON");
        expectRefused(tmp, "duplicate", edit(good, "\"layers.10.w\"", "\"layers.2.w\" "), "Duplicate field");
    }

    private static void expectRefused(Path tmp, String name, byte[] bytes, String expected) throws Exception {
        Path f = tmp.resolve(name + ".safetensors");
        Files.write(f, bytes);
        var e = assertThrows(InvalidInputException.class, () -> SafeTensors.read(f), name);
        assertTrue(e.getMessage().startsWith(f + " is not a readable safetensors file"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
    }

    /** Replaces text of the same length inside the header. */
    private static byte[] edit(byte[] file, String from, String to) {
        String s = new String(file, StandardCharsets.ISO_8859_1);
        assertTrue(s.contains(from) && from.length() == to.length(), from);
        return s.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }
}
