package dev.transfusion.plugins.text;

import java.util.Arrays;

/**
 * A map from a pair of token ids to a non-negative int, with open addressing over primitive arrays: the merge
 * lookup is the inner loop of encoding, and boxed {@code Long} keys would allocate on every probe. Not
 * thread-safe while written; safe to read from many threads once filled and published through a final field.
 */
final class PairMap {
    private static final long EMPTY = -1L;

    private long[] keys;
    private int[] values;
    private int size;

    /** An empty map sized for about {@code expected} entries. */
    PairMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY);
    }

    /** The key of a pair; ids are non-negative, so the key is never {@link #EMPTY}. */
    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** The value of a pair, or -1 when absent. */
    int get(int left, int right) {
        long k = key(left, right);
        int mask = keys.length - 1;
        for (int i = slot(k, mask); ; i = (i + 1) & mask) {
            long found = keys[i];
            if (found == k) {
                return values[i];
            }
            if (found == EMPTY) {
                return -1;
            }
        }
    }

    /** Sets the value of a pair, replacing any earlier one. */
    void put(int left, int right, int value) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        long k = key(left, right);
        int mask = keys.length - 1;
        int i = slot(k, mask);
        while (keys[i] != EMPTY && keys[i] != k) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            keys[i] = k;
            size++;
        }
        values[i] = value;
    }

    /** The number of pairs. */
    int size() {
        return size;
    }

    private static int slot(long k, int mask) {
        long h = k * 0x9E3779B97F4A7C15L; // Fibonacci hashing spreads the adjacent ids of a vocabulary
        return (int) (h >>> 32) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put((int) (oldKeys[i] >>> 32), (int) oldKeys[i], oldValues[i]);
            }
        }
    }
}
