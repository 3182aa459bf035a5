package dev.transfusion.core.generate;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code out = x W^T + beta out} for some rows of x, by direct OpenBLAS calls on a torch-layout weight
 * [o, k], such that each row's numbers are the same whatever other rows share the call: a step alone, in a
 * batched pass, or on another lane of a split pass ({@link Lanes}) gets the same bits.
 */
final class RowProducts {
    /** Rows from which a step's rows share one sgemm; up to this many go one matrix-vector product each. */
    static final int GEMV_ROWS = 4;

    /**
     * m * o (rows times outputs) from which OpenBLAS's sgemm gives each row the same bits whatever m is: its
     * small-matrix kernel takes products up to 1024 here (measured for K of 16 to 352), so twice that.
     */
    private static final long SMALL_GEMM = 2048;

    private RowProducts() {
    }

    /**
     * Rows {@code from..to} of x [n, k] times {@code weight}^T into the same rows of out [n, o]: rows before
     * {@code single} one matrix-vector product each (OpenBLAS's sgemm repacks the whole weight on every call,
     * which dominated a decoding step), the others in one sgemm.
     */
    static void matT(FloatPointer x, int from, int to, int k, INDArray weight, FloatPointer out, float beta, int single) {
        int o = (int) weight.size(0);
        FloatPointer wp = pointer(weight);
        int gemvTo = Math.min(to, single);
        for (int r = from; r < gemvTo; r++) {
            cblas_sgemv(CblasRowMajor, CblasNoTrans, o, k, 1f, wp, k, at(x, (long) r * k), 1, beta,
                    at(out, (long) r * o), 1);
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
