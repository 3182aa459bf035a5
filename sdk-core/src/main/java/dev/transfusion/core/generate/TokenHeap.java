package dev.transfusion.core.generate;

/**
 * Token ids from the largest logit down, ties in id order (the order a stable sort by {@link Float#compare}
 * gives), taken one at a time: a binary min-heap of keys, each id packed under its logit's order-preserving bits
 * into one long. Building it is O(V) and each id taken O(log V), so a sampler that stops after a few ids does
 * not sort the whole vocabulary (a sort of 50,257 logits was ~5 ms a token).
 */
final class TokenHeap {
    private final long[] keys;
    private int size;

    /** The ids of {@code logits}, none taken yet. */
    TokenHeap(float[] logits) {
        keys = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            keys[i] = key(logits[i], i);
        }
        size = keys.length;
        for (int i = size / 2 - 1; i >= 0; i--) {
            down(i);
        }
    }

    /** The key of id {@code i} with logit {@code logit}: the smaller key, the earlier the id. */
    static long key(float logit, int i) {
        int bits = Float.floatToIntBits(logit);            // NaN canonical, as Float.compare sees it
        int ordered = bits ^ ((bits >> 31) & 0x7fffffff);  // signed-int order = Float.compare order
        return ((long) ~ordered << 32) | i;                // ~: largest logit first; then the smaller id
    }

    /** Ids not taken yet. */
    int size() {
        return size;
    }

    /** The next id without taking it. */
    int peek() {
        return (int) keys[0];
    }

    /** Takes the next id: the largest logit left, the smallest id among equal ones. */
    int take() {
        if (size == 0) {
            throw new IllegalStateException("every id has been taken");
        }
        long top = keys[0];
        keys[0] = keys[--size];
        down(0);
        return (int) top;
    }

    private void down(int i) {
        long k = keys[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && keys[child + 1] < keys[child]) {
                child++;
            }
            if (keys[child] >= k) {
                break;
            }
            keys[i] = keys[child];
            i = child;
        }
        keys[i] = k;
    }
}
