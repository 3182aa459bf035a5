package dev.transfusion.core.model;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rows of a {@code [V, D]} weight looked up outside the graph, and the gradient of those rows added back
 * to the rows used. This is how the graph meets the vocabulary without a {@code [B*T, V]} one-hot input:
 * the token embedding and each position's target row of the LM head come in as {@code [B*T, D]}
 * placeholders, and the graph returns their gradients (sd.gather's own gradient fails in this nd4j
 * version; {@code docs/performance.md}).
 */
public final class TokenRows {
    private TokenRows() {
    }

    /**
     * {@code out[i] = table[ids[i]]}, a zero row where {@code ids[i] < 0}: {@code [n, D]}.
     *
     * @param what names the ids in the error for an id outside the table ("token", "target")
     */
    public static float[] gather(INDArray table, int[] ids, String what) {
        int v = (int) table.size(0), d = (int) table.size(1);
        float[] out = new float[ids.length * d];
        FloatPointer rows = pointer(table);
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id >= v) {
                throw new IllegalArgumentException(what + " " + id + " at position " + i + " outside vocabulary " + v);
            }
            if (id >= 0) {
                rows.position((long) id * d).get(out, i * d, d);
            }
        }
        return out;
    }

    /** {@code into[ids[i]] += grad[i]} for every {@code ids[i] >= 0}; into is {@code [V, D]}, grad {@code [n, D]}. */
    public static void scatterAdd(INDArray grad, int[] ids, INDArray into) {
        int d = (int) into.size(1);
        INDArray g = grad.ordering() == 'c' && !grad.isView() ? grad : grad.dup('c');
        float[] rows = new float[ids.length * d];
        pointer(g).get(rows);
        FloatPointer dst = pointer(into);
        float[] row = new float[d];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0) {
                continue;
            }
            long at = (long) ids[i] * d;
            dst.position(at).get(row);
            for (int e = 0; e < d; e++) {
                row[e] += rows[i * d + e];
            }
            dst.position(at).put(row);
        }
    }

    /** A zero {@code [V, D]} gradient for a table the graph does not use itself. */
    public static INDArray zeros(INDArray table) {
        return Nd4j.zeros(DataType.FLOAT, table.size(0), table.size(1));
    }

    private static FloatPointer pointer(INDArray a) {
        if (a.isView() || a.ordering() != 'c' || a.dataType() != DataType.FLOAT) {
            throw new IllegalStateException("expected a dense row-major float array, got " + a.shapeInfoToString());
        }
        return new FloatPointer(a.data().addressPointer());
    }
}
