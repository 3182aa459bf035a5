package dev.transfusion.plugins.audio;

/**
 * An in-place radix-2 complex FFT of one power-of-two size; the twiddles and the bit-reversal order are
 * computed once, so one instance serves every frame (and every thread: it holds no mutable state).
 */
public final class Fft {
    private final int n;
    private final double[] cos;      // [n/2] cos(2 pi k / n)
    private final double[] sin;      // [n/2] sin(2 pi k / n)
    private final int[] reversed;    // [n] bit-reversed index

    /** An FFT of size {@code n}, a power of two of at least 2. */
    public Fft(int n) {
        if (n < 2 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT size must be a power of two >= 2, got " + n);
        }
        this.n = n;
        cos = new double[n / 2];
        sin = new double[n / 2];
        for (int k = 0; k < n / 2; k++) {
            cos[k] = Math.cos(2 * Math.PI * k / n);
            sin[k] = Math.sin(2 * Math.PI * k / n);
        }
        reversed = new int[n];
        int bits = Integer.numberOfTrailingZeros(n);
        for (int i = 0; i < n; i++) {
            reversed[i] = Integer.reverse(i) >>> (32 - bits);
        }
    }

    /** The transform size. */
    public int size() {
        return n;
    }

    /** Forward transform in place: {@code X[k] = sum_j x[j] e^(-2 pi i j k / n)}. */
    public void forward(double[] re, double[] im) {
        transform(re, im, -1);
    }

    /** Inverse transform in place, scaled by 1/n, so that {@code inverse(forward(x)) = x}. */
    public void inverse(double[] re, double[] im) {
        transform(re, im, 1);
        double scale = 1.0 / n;
        for (int i = 0; i < n; i++) {
            re[i] *= scale;
            im[i] *= scale;
        }
    }

    private void transform(double[] re, double[] im, int sign) {
        if (re.length != n || im.length != n) {
            throw new IllegalArgumentException("FFT of size " + n + " given arrays of " + re.length + " and " + im.length);
        }
        for (int i = 0; i < n; i++) {
            int j = reversed[i];
            if (j > i) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int half = 1; half < n; half <<= 1) {
            int step = n / (2 * half);   // twiddle stride for this stage
            for (int start = 0; start < n; start += 2 * half) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * step], wi = sign * sin[k * step];
                    int a = start + k, b = a + half;
                    double br = re[b] * wr - im[b] * wi, bi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - br;
                    im[b] = im[a] - bi;
                    re[a] += br;
                    im[a] += bi;
                }
            }
        }
    }
}
