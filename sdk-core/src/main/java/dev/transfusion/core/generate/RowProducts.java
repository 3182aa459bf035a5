package dev.transfusion.core.generate;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code out = x W^T + beta out} for some rows of x, by direct OpenBLAS calls on a torch-layout weight
 * [o, k], such that each row's numbers are the same whatever other rows share the call: a step alone, in a
 * batched pass, or on another lane of a split pass ({@link Lanes}) gets the same bits.
 */
final class RowProducts {
    /** Rows from which a step's rows share one sgemm; up to this many are token rows ({@link #tokenChunk}). */
    static final int TOKEN_ROWS = 4;

    /** Token rows one call takes at most, and the small-matrix kernel's bounds (m * o, m * o * k) measured here. */
    private static final int MOST_TOKEN_ROWS = 16;
    private static final long SMALL_ROWS_OUTPUTS = 1024, SMALL_PRODUCT = 1_000_000;

    /** Per weight shape (o << 32 | k): the token rows one sgemm takes, 0 for one matrix-vector product each. */
    private static final Map<Long, Integer> CHUNKS = new ConcurrentHashMap<>();

    /**
     * m * o (rows times outputs) from which OpenBLAS's sgemm gives each row the same bits whatever m is: its
     * small-matrix kernel takes products up to SMALL_ROWS_OUTPUTS here (measured for K of 16 to 352), so twice that.
     */
    private static final long SMALL_GEMM = 2 * SMALL_ROWS_OUTPUTS;

    private RowProducts() {
    }

    /**
     * Rows {@code from..to} of x [n, k] times {@code weight}^T into the same rows of out [n, o]: rows before
     * {@code single} (decoded tokens) a few at a time ({@link #tokenChunk}), the others in one sgemm.
     */
    static void matT(FloatPointer x, int from, int to, int k, INDArray weight, FloatPointer out, float beta, int single) {
        int o = (int) weight.size(0);
        FloatPointer wp = pointer(weight);
        int tokensTo = Math.min(to, single), chunk = from < tokensTo ? tokenChunk(o, k) : 0;
        for (int r = from; r < tokensTo; r += Math.max(1, chunk)) {
            if (chunk == 0) {
                cblas_sgemv(CblasRowMajor, CblasNoTrans, o, k, 1f, wp, k, at(x, (long) r * k), 1, beta,
                        at(out, (long) r * o), 1);
            } else {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Math.min(chunk, tokensTo - r), o, k, 1f,
                        at(x, (long) r * k), k, wp, k, beta, at(out, (long) r * o), o);
            }
        }
        int first = Math.max(from, single), m = to - first;
        if (m <= 0) {
            return;
        }
        FloatPointer xs = at(x, (long) first * k), os = at(out, (long) first * o);
        long rows = Math.max(m, (SMALL_GEMM + o - 1) / o);
        if (rows == m) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, o, k, 1f, xs, k, wp, k, beta, os, o);
            return;
        }
        // OpenBLAS runs a product this small through another kernel, whose rows round differently from the
        // usual one: padded to the size where the usual one takes over, a row's numbers are the same whatever
        // other rows share the product
        float[] xa = new float[m * k], oa = new float[m * o];
        xs.get(xa);
        try (FloatPointer xp = new FloatPointer(rows * k); FloatPointer op = new FloatPointer(rows * o)) {
            xp.put(xa);
            if (beta != 0f) {
                os.get(oa);
                op.put(oa);
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int) rows, o, k, 1f, xp, k, wp, k, beta, op, o);
            op.get(oa);
        }
        os.put(oa);
    }

    /**
     * How many token rows share one product with a weight [o, k], such that each row gets the bits it gets
     * alone: OpenBLAS's small-matrix kernel (m * o and m * o * k under its bounds) reads the weight once for
     * all of them and rounds a row the same whatever m is, for most shapes. Not for all (odd o, measured), so
     * each shape is probed once: every m up to the chunk against its rows one at a time. 0 when the probe
     * fails or no chunk of 2 fits: then each row is one matrix-vector product, alone or batched.
     *
     * <p>Why: batched requests' tokens would otherwise read every weight once per token; for the demo model
     * that read (3 MB from L3) was most of a batched decoding pass.
     */
    static int tokenChunk(int o, int k) {
        return CHUNKS.computeIfAbsent(((long) o << 32) | k, shape -> {
            int chunk = (int) Math.min(Math.min(MOST_TOKEN_ROWS, SMALL_ROWS_OUTPUTS / o), SMALL_PRODUCT / ((long) o * k));
            return chunk >= 2 && rowsAlike(o, k, chunk) ? chunk : 0;
        });
    }

    /** Whether sgemm gives each of m rows (every m up to {@code chunk}, beta 0 and 1) its one-row bits. */
    private static boolean rowsAlike(int o, int k, int chunk) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(o * 31L + k);
        float[] w = new float[o * k], x = new float[chunk * k], c0 = new float[chunk * o];
        for (float[] a : new float[][] {w, x, c0}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rnd.nextGaussian();
            }
        }
        try (FloatPointer wp = new FloatPointer(w); FloatPointer xp = new FloatPointer(x);
             FloatPointer all = new FloatPointer(c0.length); FloatPointer one = new FloatPointer(o)) {
            float[] got = new float[c0.length], alone = new float[o];
            for (float beta : new float[] {0f, 1f}) {
                for (int m = 2; m <= chunk; m++) {
                    all.put(c0);
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, o, k, 1f, xp, k, wp, k, beta, all, o);
                    all.get(got);
                    for (int r = 0; r < m; r++) {
                        one.put(c0, r * o, o);
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, 1, o, k, 1f, at(xp, (long) r * k), k,
                                wp, k, beta, one, o);
                        one.get(alone);
                        if (!java.util.Arrays.equals(alone, 0, o, got, r * o, (r + 1) * o)) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    /** x[i] += bias[i % bias.length]: a bias over every row of a product's output. */
    static void addBias(float[] x, float[] bias) {
        for (int i = 0; i < x.length; i++) {
            x[i] += bias[i % bias.length];
        }
    }

    /**
     * The native floats of a dense array, which the caller must keep reachable while it uses them (weights
     * live in the graph; caches in the arrays the forward returns).
     */
    static FloatPointer pointer(INDArray a) {
        if (a.isView() || a.ordering() != 'c') {
            throw new IllegalStateException("expected a dense row-major array, got " + a.shapeInfoToString());
        }
        return new FloatPointer(a.data().addressPointer());
    }

    static FloatPointer at(FloatPointer p, long offset) {
        return new FloatPointer(p).position(p.position() + offset);
    }
}
