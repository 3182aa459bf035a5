package dev.transfusion.core.generate;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keys and values of every layer for the positions seen so far: {@code [B, H, T, hd]} each, rotated
 * by RoPE already, so later positions only compute their own.
 *
 * @param keys   per layer
 * @param values per layer
 */
public record KvCache(INDArray[] keys, INDArray[] values) {

    /** Positions cached. */
    public long length() {
        return keys[0].size(2);
    }

    /** Rows. */
    public long batch() {
        return keys[0].size(0);
    }

    /**
     * Two single-row caches of different lengths as one batch of two rows: the shorter one is padded on
     * the left with zeros, which the caller must mask out (see {@link #leftPadding}).
     */
    public static KvCache stack(KvCache a, KvCache b) {
        long len = Math.max(a.length(), b.length());
        INDArray[] k = new INDArray[a.keys.length], v = new INDArray[a.keys.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = Nd4j.concat(0, pad(a.keys[i], len), pad(b.keys[i], len));
            v[i] = Nd4j.concat(0, pad(a.values[i], len), pad(b.values[i], len));
        }
        return new KvCache(k, v);
    }

    /** How many zero positions {@link #stack} put in front of a cache of {@code length} in a stack of {@code total}. */
    public static long leftPadding(long length, long total) {
        return total - length;
    }

    private static INDArray pad(INDArray x, long len) {
        long missing = len - x.size(2);
        if (missing == 0) {
            return x;
        }
        return Nd4j.concat(2, Nd4j.zeros(x.dataType(), x.size(0), x.size(1), missing, x.size(3)), x);
    }
}
