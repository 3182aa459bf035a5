package dev.transfusion.plugins.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StftTest {
    @Test
    void theFftMatchesADirectDftAndInvertsIt() {
        SplittableRandom random = new SplittableRandom(1);
        for (int n : new int[] {2, 8, 256}) {
            double[] xr = new double[n], xi = new double[n];
            for (int i = 0; i < n; i++) {
                xr[i] = random.nextDouble() - 0.5;
                xi[i] = random.nextDouble() - 0.5;
            }
            double[] re = xr.clone(), im = xi.clone();
            Fft fft = new Fft(n);
            fft.forward(re, im);
            for (int k = 0; k < n; k++) {
                double sr = 0, si = 0;
                for (int j = 0; j < n; j++) {
                    double a = -2 * Math.PI * j * k / n;
                    sr += xr[j] * Math.cos(a) - xi[j] * Math.sin(a);
                    si += xr[j] * Math.sin(a) + xi[j] * Math.cos(a);
                }
                assertEquals(sr, re[k], 1e-9, "re of bin " + k + " of " + n);
                assertEquals(si, im[k], 1e-9, "im of bin " + k + " of " + n);
            }
            fft.inverse(re, im);
            for (int i = 0; i < n; i++) {
                assertEquals(xr[i], re[i], 1e-12);
                assertEquals(xi[i], im[i], 1e-12);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Fft(100));
    }

    @Test
    void framesAreSixtyThreeCentredAndSixtyOneUncentred() {
        assertEquals(63, new Stft(256, 128, true).frames(8000));
        assertEquals(61, new Stft(256, 128, false).frames(8000));
        assertEquals(63, new Stft(256, 128, true).forward(new float[8000]).frames());
        assertEquals(129, new Stft(256, 128, false).forward(new float[8000]).bins());
    }

    @Test
    void eachFrameIsTheDftOfTheHannWindowedSamples() {
        float[] x = noise(8000, 2);
        double[] w = Stft.periodicHann(256);
        assertEquals(0, w[0], 0);
        assertEquals(1, w[128], 1e-15);   // periodic: the peak is at N/2, not at (N-1)/2
        for (boolean centred : new boolean[] {false, true}) {
            ComplexSpectrogram s = new Stft(256, 128, centred).forward(x);
            for (int f : new int[] {0, 1, 30, s.frames() - 1}) {   // even and odd frames: both halves of a pair
                for (int k : new int[] {0, 1, 37, 128}) {
                    double sr = 0, si = 0;
                    for (int j = 0; j < 256; j++) {
                        int i = f * 128 + j - (centred ? 128 : 0);
                        i = i < 0 ? -i : i >= 8000 ? 2 * 7999 - i : i;   // reflect
                        sr += x[i] * w[j] * Math.cos(-2 * Math.PI * j * k / 256);
                        si += x[i] * w[j] * Math.sin(-2 * Math.PI * j * k / 256);
                    }
                    assertEquals(sr, s.re()[f * 129 + k], 1e-9, "frame " + f + " bin " + k);
                    assertEquals(si, s.im()[f * 129 + k], 1e-9, "frame " + f + " bin " + k);
                }
            }
        }
    }

    @Test
    void theInverseOfTheForwardIsTheSignal() {
        float[] x = noise(8000, 3);
        Stft stft = new Stft(256, 128, true);
        float[] y = stft.inverse(stft.forward(x), 8000);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], 1e-5, "sample " + i);
        }
    }

    private static float[] noise(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextDouble() - 0.5);
        }
        return x;
    }
}
