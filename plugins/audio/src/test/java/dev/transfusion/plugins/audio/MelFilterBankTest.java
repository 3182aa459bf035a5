package dev.transfusion.plugins.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MelFilterBankTest {
    final MelFilterBank bank = new MelFilterBank(32, 80, 4000, 256, 8000);

    @Test
    void bandsAreHtkTrianglesOfPeakOneBetweenEquallySpacedMelPoints() {
        assertEquals(2595 * Math.log10(1 + 1000 / 700.0), MelFilterBank.hzToMel(1000), 1e-9);
        assertEquals(1000, MelFilterBank.melToHz(MelFilterBank.hzToMel(1000)), 1e-9);
        double lo = MelFilterBank.hzToMel(80), hi = MelFilterBank.hzToMel(4000);
        for (int m = 0; m < 32; m++) {
            double left = MelFilterBank.melToHz(lo + (hi - lo) * m / 33);
            double centre = MelFilterBank.melToHz(lo + (hi - lo) * (m + 1) / 33);
            double right = MelFilterBank.melToHz(lo + (hi - lo) * (m + 2) / 33);
            double max = 0;
            for (int k = 0; k < 129; k++) {
                double f = k * 31.25, w = bank.weight(m, k);
                double expected = f <= left || f >= right ? 0 : f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
                assertEquals(expected, w, 1e-12, "band " + m + " bin " + k);
                max = Math.max(max, w);
            }
            assertTrue(max > 0.3 && max <= 1, "band " + m + " covers a bin");
        }
    }

    @Test
    void theNonNegativeInversionExplainsTheMelEnergiesBetterThanTheTranspose() {
        double[] magnitude = new double[2 * 129];   // two frames: a peak at 440 Hz, a peak at 1500 Hz
        magnitude[14] = 5;
        magnitude[129 + 48] = 2;
        double[] mel = bank.apply(magnitude, 2);
        double[] transpose = bank.transpose(mel, 2), inverted = bank.invert(mel, 2, 30);
        for (double v : inverted) {
            assertTrue(v >= 0, "non-negative");
        }
        assertTrue(residual(bank.apply(inverted, 2), mel) < 0.1 * residual(bank.apply(transpose, 2), mel),
                "30 updates fit the mel energies far better than M^T mel");
        // the peak keeps most of its height (the transpose smears it over the band)
        assertTrue(max(inverted, 0) > 2.5, "peak " + max(inverted, 0));
    }

    private static double residual(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }

    private static double max(double[] a, int frame) {
        double m = 0;
        for (int k = 0; k < 129; k++) {
            m = Math.max(m, a[frame * 129 + k]);
        }
        return m;
    }
}
