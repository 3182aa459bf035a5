package dev.transfusion.core.generate;

import dev.transfusion.api.spi.Tokenizer;
import org.jspecify.annotations.Nullable;

/**
 * Keeps sampled text valid UTF-8. A byte-level vocabulary holds tokens that are parts of a character (a lone
 * lead byte, continuation bytes); sampled freely, a lead byte can be followed by plain text and the streamed text
 * shows U+FFFD (the README's sample once printed {@code "there is the\uFFFD i\uFFFD i"}). Before each text token,
 * {@link #ban} removes every token whose bytes cannot continue the bytes so far as valid UTF-8 (RFC 3629: no
 * overlong forms, surrogates or code points past U+10FFFF), and, while a character is unfinished, every token whose
 * bytes the tokenizer does not report (special tokens: end-of-sequence, begin-of-image), which are otherwise left
 * alone. One guard follows one
 * generation; the byte table ({@link #table}) is built once per model.
 */
final class Utf8Guard {
    private final byte[][] bytes;   // [V][...], null where unknown
    private final boolean active;
    // the state after the text so far: continuation bytes still owed, and the range the next one must lie in
    private int owed;
    private int lo = 0x80, hi = 0xBF;
    // the tokens whose bytes cannot begin a text: the bans between characters, where the state is always the same
    // (a GPT-2-sized vocabulary took ~0.8 ms a token to check whole)
    private int @Nullable [] cannotStart;

    /** A guard at the start of a text, over a table from {@link #table}. */
    Utf8Guard(byte[][] table) {
        bytes = table;
        boolean any = false;
        for (byte[] b : table) {
            any |= b != null;
        }
        active = any;
    }

    /** Each token's bytes as the tokenizer reports them ([V][...], null where unknown). */
    static byte[][] table(Tokenizer tokenizer, int vocab) {
        byte[][] t = new byte[vocab][];
        for (int id = 0; id < vocab; id++) {
            t[id] = tokenizer.tokenBytes(id);
        }
        return t;
    }

    /** Sets to -inf the logits of tokens that would break the text's UTF-8. */
    void ban(float[] logits) {
        if (!active) {
            return;
        }
        if (owed == 0) {               // between characters a token fits by its own bytes alone: a list made once
            if (cannotStart == null) {
                cannotStart = cannotStart(bytes);
            }
            for (int id : cannotStart) {
                if (id < logits.length) {
                    logits[id] = Float.NEGATIVE_INFINITY;
                }
            }
            return;
        }
        for (int id = 0; id < bytes.length && id < logits.length; id++) {
            if (bytes[id] == null ? owed > 0 : !fits(bytes[id])) {
                logits[id] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    private static int[] cannotStart(byte[][] table) {
        int[] fresh = {0, 0x80, 0xBF};
        return java.util.stream.IntStream.range(0, table.length)
                .filter(id -> table[id] != null && !fits(fresh, table[id])).toArray();
    }

    /** Follows the text past token {@code id}. */
    void accept(int id) {
        byte[] b = id >= 0 && id < bytes.length ? bytes[id] : null;
        if (b == null) {
            owed = 0;
            return;
        }
        int[] s = {owed, lo, hi};
        for (byte x : b) {
            if (!next(s, x & 0xff)) {
                s = new int[] {0, 0x80, 0xBF};   // not reachable after ban(); start afresh rather than stay stuck
            }
        }
        owed = s[0];
        lo = s[1];
        hi = s[2];
    }

    private boolean fits(byte[] b) {
        return fits(new int[] {owed, lo, hi}, b);
    }

    /** Whether bytes {@code b} continue state {@code from} ({owed, lo, hi}, not changed) as valid UTF-8. */
    private static boolean fits(int[] from, byte[] b) {
        int[] s = from.clone();
        for (byte x : b) {
            if (!next(s, x & 0xff)) {
                return false;
            }
        }
        return true;
    }

    /** One byte through the UTF-8 automaton; {@code s} is {owed, lo, hi}. */
    private static boolean next(int[] s, int x) {
        if (s[0] > 0) {
            if (x < s[1] || x > s[2]) {
                return false;
            }
            s[0]--;
            s[1] = 0x80;
            s[2] = 0xBF;
            return true;
        }
        if (x < 0x80) {
            return true;
        }
        if (x >= 0xC2 && x <= 0xDF) {
            s[0] = 1;
        } else if (x >= 0xE0 && x <= 0xEF) {
            s[0] = 2;
            s[1] = x == 0xE0 ? 0xA0 : 0x80;        // E0 80..9F would be overlong
            s[2] = x == 0xED ? 0x9F : 0xBF;        // ED A0..BF would be a surrogate
        } else if (x >= 0xF0 && x <= 0xF4) {
            s[0] = 3;
            s[1] = x == 0xF0 ? 0x90 : 0x80;
            s[2] = x == 0xF4 ? 0x8F : 0xBF;        // past U+10FFFF
        } else {
            return false;                           // a continuation byte with nothing to continue, C0, C1, F5..FF
        }
        return true;
    }
}
