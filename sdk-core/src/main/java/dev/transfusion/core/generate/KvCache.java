package dev.transfusion.core.generate;

import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Keys and values of every layer for the positions seen so far, rotated by RoPE already, so later positions
 * only compute their own. The buffers are {@code [B, H, capacity, hd]} with room to grow: appending a token
 * writes its row in place instead of copying the whole cache, and a full buffer doubles.
 *
 * <p>Several caches may share one buffer: a cache and the longer ones grown from it. Only one of them may
 * write past its end, the one whose end is the buffer's furthest claimed position; growing any other copies
 * its positions to a new buffer first. So a prefix can be continued in two ways (guided and unguided
 * decoding, several denoising steps) without one overwriting the other.
 */
public final class KvCache {
    private static final int MIN_SPARE = 256;

    private final INDArray[] keys;      // per layer [B, H, capacity, hd]
    private final INDArray[] values;
    private final long length;
    private final AtomicLong claimed;   // shared by the caches over these buffers: the furthest end written

    /** A cache of exactly the positions in {@code keys}/{@code values} ({@code [B, H, T, hd]} each), no spare room. */
    public KvCache(INDArray[] keys, INDArray[] values) {
        this(keys, values, keys[0].size(2), new AtomicLong(keys[0].size(2)));
    }

    private KvCache(INDArray[] keys, INDArray[] values, long length, AtomicLong claimed) {
        this.keys = keys;
        this.values = values;
        this.length = length;
        this.claimed = claimed;
    }

    /** Positions cached. */
    public long length() {
        return length;
    }

    /** Rows. */
    public long batch() {
        return keys[0].size(0);
    }

    /** Positions the buffers hold, cached or spare. */
    public long capacity() {
        return keys[0].size(2);
    }

    /** Layer {@code i}'s keys, {@code [B, H, T, hd]} (a copy when the buffer has spare room). */
    public INDArray keys(int i) {
        return exact(keys[i]);
    }

    /** Layer {@code i}'s values, {@code [B, H, T, hd]}. */
    public INDArray values(int i) {
        return exact(values[i]);
    }

    /** Layer {@code i}'s key buffer, {@code [B, H, capacity, hd]}; positions from {@link #length} on are not this cache's. */
    INDArray keyBuffer(int i) {
        return keys[i];
    }

    /** Layer {@code i}'s value buffer. */
    INDArray valueBuffer(int i) {
        return values[i];
    }

    private INDArray exact(INDArray buffer) {
        return buffer.size(2) == length ? buffer
                : buffer.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, length), NDArrayIndex.all()).dup('c');
    }

    /**
     * A cache of {@code length + more} positions whose first {@code length} are this one's; the caller writes
     * the new ones into its buffers. In place when this cache holds the buffer's end and there is room;
     * otherwise in new buffers of twice the size (at least {@value #MIN_SPARE} spare positions).
     */
    KvCache grow(int more) {
        long end = length + more;
        if (end <= capacity() && claimed.compareAndSet(length, end)) {
            return new KvCache(keys, values, end, claimed);
        }
        return copy(length, Math.max(2 * end, end + MIN_SPARE), more);
    }

    /**
     * Like {@link #grow}, but claiming nothing: the new positions go to the spare room when no longer cache
     * holds it (else to a copy), and the cache returned is valid only until this one grows again. For
     * outputs that are read once and dropped, such as a denoising step's.
     */
    KvCache peek(int more) {
        long end = length + more;
        if (end <= capacity() && claimed.get() == length) {
            return new KvCache(keys, values, end, new AtomicLong(end));
        }
        return copy(length, end, more);
    }

    /** An empty cache for {@code layers} layers of {@code [batch, heads, capacity, headDim]}, to grow from. */
    static KvCache empty(int layers, int batch, int heads, int headDim, long capacity) {
        INDArray[] k = new INDArray[layers], v = new INDArray[layers];
        for (int i = 0; i < layers; i++) {
            k[i] = Nd4j.zeros(DataType.FLOAT, batch, heads, capacity, headDim);
            v[i] = Nd4j.zeros(DataType.FLOAT, batch, heads, capacity, headDim);
        }
        return new KvCache(k, v, 0, new AtomicLong(0));
    }

    private KvCache copy(long keep, long capacity, int more) {
        KvCache grown = empty(keys.length, (int) batch(), (int) keys[0].size(1), (int) keys[0].size(3), capacity);
        for (int i = 0; i < keys.length; i++) {
            if (keep > 0) {
                var upTo = NDArrayIndex.interval(0, keep);
                grown.keys[i].get(NDArrayIndex.all(), NDArrayIndex.all(), upTo, NDArrayIndex.all())
                        .assign(keys[i].get(NDArrayIndex.all(), NDArrayIndex.all(), upTo, NDArrayIndex.all()));
                grown.values[i].get(NDArrayIndex.all(), NDArrayIndex.all(), upTo, NDArrayIndex.all())
                        .assign(values[i].get(NDArrayIndex.all(), NDArrayIndex.all(), upTo, NDArrayIndex.all()));
            }
        }
        grown.claimed.set(keep + more);
        return new KvCache(grown.keys, grown.values, keep + more, grown.claimed);
    }

    /**
     * Two single-row caches of different lengths as one batch of two rows: the shorter one is padded on
     * the left with zeros, which the caller must mask out (see {@link #leftPadding}).
     */
    public static KvCache stack(KvCache a, KvCache b) {
        long len = Math.max(a.length(), b.length());
        KvCache both = empty(a.keys.length, 2, (int) a.keys[0].size(1), (int) a.keys[0].size(3), len + MIN_SPARE);
        for (int i = 0; i < a.keys.length; i++) {
            for (int r = 0; r < 2; r++) {
                KvCache one = r == 0 ? a : b;
                var into = NDArrayIndex.interval(len - one.length, len);
                both.keys[i].get(NDArrayIndex.point(r), NDArrayIndex.all(), into, NDArrayIndex.all()).assign(one.keys(i).get(
                        NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()));
                both.values[i].get(NDArrayIndex.point(r), NDArrayIndex.all(), into, NDArrayIndex.all()).assign(one.values(i).get(
                        NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()));
            }
        }
        both.claimed.set(len);
        return new KvCache(both.keys, both.values, len, both.claimed);
    }

    /** How many zero positions {@link #stack} put in front of a cache of {@code length} in a stack of {@code total}. */
    public static long leftPadding(long length, long total) {
        return total - length;
    }
}
