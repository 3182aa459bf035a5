package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sampling at random from a byte-level vocabulary under the guard always gives valid UTF-8; without it, the same
 * draws give U+FFFD (what the README's Java sample printed).
 */
class Utf8GuardTest {
    // ids 0..255: the single bytes; 256: "é" as one token; 257: a special token (no bytes)
    private static final byte[][] TABLE = new byte[258][];

    static {
        for (int b = 0; b < 256; b++) {
            TABLE[b] = new byte[] {(byte) b};
        }
        TABLE[256] = "é".getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void randomDrawsUnderTheGuardAreValidUtf8() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int trial = 0; trial < 200; trial++) {
            Utf8Guard guard = new Utf8Guard(TABLE);
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            for (int i = 0; i < 40; i++) {
                float[] logits = new float[TABLE.length];
                guard.ban(logits);
                int id;
                do {
                    id = rng.nextInt(TABLE.length);
                } while (logits[id] == Float.NEGATIVE_INFINITY);
                guard.accept(id);
                if (id == 257) {
                    break;   // the special token ends the text: it may only come between characters
                }
                text.writeBytes(TABLE[id]);
            }
            String s = text.toString(StandardCharsets.UTF_8);
            assertFalse(s.contains("\uFFFD") && !endsUnfinished(text.toByteArray()), "trial " + trial + ": " + s);
        }
    }

    @Test
    void withoutTheGuardTheSameKindOfDrawsBreakTheText() {
        SplittableRandom rng = new SplittableRandom(1);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
            text.writeBytes(TABLE[rng.nextInt(256)]);
        }
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("\uFFFD"));
    }

    @Test
    void midCharacterOnlyContinuationsAndNoSpecialTokenAreAllowed() {
        Utf8Guard guard = new Utf8Guard(TABLE);
        guard.accept(0xE2);                  // the first byte of a three-byte character
        float[] logits = new float[TABLE.length];
        guard.ban(logits);
        assertEquals(Float.NEGATIVE_INFINITY, logits['a']);
        assertEquals(Float.NEGATIVE_INFINITY, logits[257], "no special token mid-character");
        assertEquals(Float.NEGATIVE_INFINITY, logits[256], "é cannot continue a lead byte");
        assertEquals(0f, logits[0x82]);
        guard.accept(0x82);
        guard.accept(0xAC);                  // € complete
        logits = new float[TABLE.length];
        guard.ban(logits);
        assertEquals(0f, logits['a']);
        assertEquals(0f, logits[257]);
        assertEquals(Float.NEGATIVE_INFINITY, logits[0x80], "a continuation byte with nothing to continue");
        assertEquals(Float.NEGATIVE_INFINITY, logits[0xC0], "C0 only starts overlong forms");
        guard.accept(0xED);
        logits = new float[TABLE.length];
        guard.ban(logits);
        assertEquals(Float.NEGATIVE_INFINITY, logits[0xA0], "ED A0 would start a surrogate");
    }

    @Test
    void betweenCharactersExactlyTheBytesThatCannotStartACharacterAreBanned() {
        Utf8Guard guard = new Utf8Guard(TABLE);
        for (int[] text : new int[][] {{}, {'a'}, {0xE2, 0x82, 0xAC}, {256, 'b'}}) {   // nothing owed after each
            for (int id : text) {
                guard.accept(id);
            }
            float[] logits = new float[TABLE.length];
            guard.ban(logits);
            for (int b = 0; b < 256; b++) {
                boolean cannotStart = (b >= 0x80 && b <= 0xC1) || b >= 0xF5;   // RFC 3629
                assertEquals(cannotStart ? Float.NEGATIVE_INFINITY : 0f, logits[b], "byte " + Integer.toHexString(b));
            }
            assertEquals(0f, logits[256], "é");
            assertEquals(0f, logits[257], "a special token between characters");
        }
    }

    /** A text cut at the end of the loop may end inside a character; that part is not yet output. */
    private static boolean endsUnfinished(byte[] b) {
        for (int i = Math.max(0, b.length - 3); i < b.length; i++) {
            if ((b[i] & 0xC0) == 0xC0) {
                return true;
            }
        }
        return false;
    }
}
