package dev.transfusion.datasets.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Frechet distance against closed forms: Gaussians whose distance is known exactly. */
class FrechetDistanceTest {

    private static float[][] gaussian(int n, double[] mean, double[] std, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][mean.length];
        for (float[] row : x) {
            for (int i = 0; i < mean.length; i++) {
                row[i] = (float) (mean[i] + std[i] * r.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void diagonalGaussiansGiveTheClosedForm() {
        // for diagonal covariances: |mu1 - mu2|^2 + sum (s1 - s2)^2
        double[] m1 = {0, 1, 2, 0}, m2 = {1, 1, 0, 0}, s1 = {1, 2, 0.5, 1}, s2 = {2, 1, 0.5, 3};
        double expected = 1 + 0 + 4 + 0 + 1 + 1 + 0 + 4;
        double d = FrechetDistance.between(gaussian(200_000, m1, s1, 1), gaussian(200_000, m2, s2, 2));
        assertEquals(expected, d, 0.1);
    }

    @Test
    void aSetIsAtDistanceZeroFromItselfAndTheMatrixRootSquaresBack() {
        float[][] x = gaussian(500, new double[8], new double[] {1, 2, 3, 4, 1, 1, 1, 1}, 3);
        for (float[] row : x) {
            row[1] += 0.8f * row[0];   // correlated features: the off-diagonal terms matter
        }
        assertEquals(0, FrechetDistance.between(x, x), 1e-6);
        double[][] s = FrechetDistance.covariance(x, FrechetDistance.mean(x));
        double[][] r = FrechetDistance.sqrtm(s);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                double sq = 0;
                for (int k = 0; k < 8; k++) {
                    sq += r[i][k] * r[k][j];
                }
                assertEquals(s[i][j], sq, 1e-9);
            }
        }
        assertTrue(FrechetDistance.between(x, gaussian(500, new double[8], new double[] {1, 1, 1, 1, 1, 1, 1, 1}, 4)) > 1);
    }
}
