package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Token rows (decoded tokens of many requests) sharing one product get the bits each gets alone, whatever
 * chunk {@link RowProducts#tokenChunk} picked for the shape on this machine, with beta 0 and 1.
 */
class RowProductsTest {
    @Test
    void tokenRowsTogetherGetTheirBitsAlone() {
        SplittableRandom rnd = new SplittableRandom(3);
        int rows = 12;
        for (int[] shape : new int[][] {{128, 128}, {352, 128}, {128, 352}, {320, 128}, {7, 64}, {16, 128}, {1024, 32}}) {
            int o = shape[0], k = shape[1];
            INDArray weight = Nd4j.create(random(rnd, o * k), new long[] {o, k}, 'c');
            float[] x = random(rnd, rows * k), start = random(rnd, rows * o);
            for (float beta : new float[] {0f, 1f}) {
                float[] together = product(x, rows, k, weight, start, beta, 0, rows);
                for (int r = 0; r < rows; r++) {
                    float[] alone = product(x, rows, k, weight, start, beta, r, r + 1);
                    float[] mine = new float[o], theirs = new float[o];
                    System.arraycopy(together, r * o, mine, 0, o);
                    System.arraycopy(alone, r * o, theirs, 0, o);
                    assertArrayEquals(theirs, mine, "row " + r + " of " + o + " x " + k + ", beta " + beta
                            + " (chunk " + RowProducts.tokenChunk(o, k) + ")");
                }
            }
            float[] one = product(x, rows, k, weight, start, 0f, 0, 1);
            double exact = 0;
            for (int i = 0; i < k; i++) {
                exact += (double) x[i] * weight.getFloat(0, i);
            }
            assertEquals(exact, one[0], 1e-4 * Math.max(1, Math.abs(exact)), "the product itself, " + o + " x " + k);
        }
    }

    /** Rows lo..hi of x W^T + beta start as token rows, in an out buffer that starts as {@code start}. */
    private static float[] product(float[] x, int rows, int k, INDArray weight, float[] start, float beta, int lo, int hi) {
        try (FloatPointer xp = new FloatPointer(x); FloatPointer out = new FloatPointer(start)) {
            RowProducts.matT(xp, lo, hi, k, weight, out, beta, rows);
            float[] r = new float[start.length];
            out.get(r);
            return r;
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
