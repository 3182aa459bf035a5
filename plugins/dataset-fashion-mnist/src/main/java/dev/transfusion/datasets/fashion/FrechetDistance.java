package dev.transfusion.datasets.fashion;

import dev.transfusion.api.InvalidInputException;

/**
 * The Frechet distance between two sets of feature vectors, each taken as a Gaussian (FID's formula):
 * {@code |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2))}. The trace of the matrix square root is computed as
 * {@code sum sqrt(eig(A S2 A))} with {@code A = S1^(1/2)}, which is symmetric, so a cyclic Jacobi eigensolver in
 * double precision does it (128 x 128 here: milliseconds).
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    /** The distance between {@code a} and {@code b}, each [n][d] with at least two vectors. */
    public static double between(float[][] a, float[][] b) {
        if (a.length < 2 || b.length < 2 || a[0].length != b[0].length) {
            throw new InvalidInputException("a Frechet distance needs two sets of at least 2 vectors of one size, got "
                    + a.length + " and " + b.length);
        }
        double[] mu1 = mean(a), mu2 = mean(b);
        double[][] s1 = covariance(a, mu1), s2 = covariance(b, mu2);
        double d = 0;
        for (int i = 0; i < mu1.length; i++) {
            d += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]) + s1[i][i] + s2[i][i];
        }
        double[][] root = sqrtm(s1);
        double trace = 0;
        for (double e : eigenvalues(multiply(multiply(root, s2), root))) {
            trace += Math.sqrt(Math.max(e, 0));   // tiny negative eigenvalues are rounding of a PSD matrix
        }
        return d - 2 * trace;
    }

    static double[] mean(float[][] x) {
        double[] m = new double[x[0].length];
        for (float[] row : x) {
            for (int i = 0; i < m.length; i++) {
                m[i] += row[i] / (double) x.length;
            }
        }
        return m;
    }

    /** The unbiased covariance (n - 1), as numpy's {@code cov} and FID implementations use. */
    static double[][] covariance(float[][] x, double[] mu) {
        int d = mu.length;
        double[][] c = new double[d][d];
        for (float[] row : x) {
            for (int i = 0; i < d; i++) {
                double xi = row[i] - mu[i];
                for (int j = i; j < d; j++) {
                    c[i][j] += xi * (row[j] - mu[j]);
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                c[i][j] /= x.length - 1;
                c[j][i] = c[i][j];
            }
        }
        return c;
    }

    /** The symmetric square root of a symmetric positive semi-definite matrix: V sqrt(L) V^T. */
    static double[][] sqrtm(double[][] s) {
        int n = s.length;
        double[][] v = new double[n][n];
        double[] l = jacobi(copy(s), v);
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += v[i][k] * Math.sqrt(Math.max(l[k], 0)) * v[j][k];
                }
                r[i][j] = sum;
            }
        }
        return r;
    }

    static double[] eigenvalues(double[][] s) {
        return jacobi(copy(s), new double[s.length][s.length]);
    }

    /** Cyclic Jacobi rotations: returns the eigenvalues, fills {@code v} with the eigenvectors as columns. */
    private static double[] jacobi(double[][] a, double[][] v) {
        int n = a.length;
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += a[i][j] * a[i][j];
                    off += i != j ? a[i][j] * a[i][j] : 0;
                }
            }
            if (off <= 1e-22 * total) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) {            // A <- A J
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {            // A <- J^T A
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] l = new double[n];
        for (int i = 0; i < n; i++) {
            l[i] = a[i][i];
        }
        return l;
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length;
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double xik = x[i][k];
                for (int j = 0; j < n; j++) {
                    r[i][j] += xik * y[k][j];
                }
            }
        }
        return r;
    }

    private static double[][] copy(double[][] s) {
        double[][] c = new double[s.length][];
        for (int i = 0; i < s.length; i++) {
            c[i] = s[i].clone();
        }
        return c;
    }
}
