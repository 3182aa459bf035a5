package dev.transfusion.core.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of a valid file: each one either reads or is refused with IllegalArgumentException
 * (which {@link SafeTensors#read} reports as InvalidInputException naming the file), never another
 * exception, an endless loop or an allocation the header asked for but the file cannot back.
 */
class SafeTensorsFuzzTest {
    private static final int CASES = 3000;

    @Test
    void mutatedFilesReadOrAreRefusedCleanly() throws Exception {
        byte[] good = Files.readAllBytes(SafeTensorsTest.fixture("small.safetensors"));
        Random random = new Random(20261201L);
        int refused = 0, read = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] b = mutate(good, random);
            try {
                SafeTensors.parse(b);
                read++;
            } catch (IllegalArgumentException | ArithmeticException expected) {
                refused++;
            } catch (RuntimeException | Error e) {
                fail("case " + i + " threw " + e, e);
            }
        }
        // the mutations must reach both outcomes, or the test says nothing
        assertTrue(refused > CASES / 2, "refused " + refused);
        assertTrue(read > 0, "read " + read);
    }

    private static byte[] mutate(byte[] good, Random r) {
        byte[] b = good.clone();
        switch (r.nextInt(5)) {
            case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));          // a bit flip anywhere
            case 1 -> {                                                                 // a header character
                int at = 8 + r.nextInt(good.length - 8 - 48);
                b[at] = (byte) "{}[]\",:0123456789-eE. aF".charAt(r.nextInt(24));
            }
            case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 16));         // cut or extended
            case 3 -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, r.nextLong() >>> r.nextInt(64));
            default -> b[40 + r.nextInt(b.length - 40)] = (byte) r.nextInt(256);       // data, offsets, shapes
        }
        return b;
    }
}
