package dev.transfusion.plugins.audio;

/**
 * Triangular mel filters on the HTK mel scale ({@code 2595 log10(1 + f / 700)}), peak 1 and unnormalised
 * (librosa's {@code mel(htk=True, norm=None)}): band m rises from point m to point m + 1 and falls to point
 * m + 2 of {@code bands + 2} points equally spaced in mel from fMin to fMax. Applied to magnitudes.
 */
public final class MelFilterBank {
    private final int bands;
    private final int bins;
    private final double[] weights;   // [bands, bins]
    private final int[] first;        // [bands] first bin with a non-zero weight
    private final int[] last;         // [bands] one past the last

    /**
     * @param bands      mel bands
     * @param fMin       lowest edge in Hz
     * @param fMax       highest edge in Hz
     * @param frameSize  FFT size N (bins = N / 2 + 1)
     * @param sampleRate samples per second
     */
    public MelFilterBank(int bands, double fMin, double fMax, int frameSize, int sampleRate) {
        if (bands < 1 || !(fMin >= 0) || !(fMax > fMin) || fMax > sampleRate / 2.0) {
            throw new IllegalArgumentException("mel bank needs bands >= 1 and 0 <= fMin < fMax <= " + sampleRate / 2.0
                    + ", got " + bands + ", " + fMin + ", " + fMax);
        }
        this.bands = bands;
        this.bins = frameSize / 2 + 1;
        this.weights = new double[bands * bins];
        double melMin = hzToMel(fMin), melMax = hzToMel(fMax);
        double[] edges = new double[bands + 2];   // Hz
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHz(melMin + (melMax - melMin) * i / (bands + 1));
        }
        for (int m = 0; m < bands; m++) {
            double lo = edges[m], mid = edges[m + 1], hi = edges[m + 2];
            for (int k = 0; k < bins; k++) {
                double f = (double) k * sampleRate / frameSize;
                double rising = (f - lo) / (mid - lo), falling = (hi - f) / (hi - mid);
                weights[m * bins + k] = Math.max(0, Math.min(rising, falling));
            }
        }
        // each triangle covers a few bins: loop over those only
        first = new int[bands];
        last = new int[bands];
        for (int m = 0; m < bands; m++) {
            int k0 = 0, k1 = bins;
            while (k0 < bins && weights[m * bins + k0] == 0) {
                k0++;
            }
            while (k1 > k0 && weights[m * bins + k1 - 1] == 0) {
                k1--;
            }
            first[m] = k0;
            last[m] = k1;
        }
    }

    /** HTK mel of a frequency in Hz. */
    public static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    /** Frequency in Hz of an HTK mel value. */
    public static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /** Mel bands. */
    public int bands() {
        return bands;
    }

    /** Linear bins the bank reads. */
    public int bins() {
        return bins;
    }

    /** The weight of bin k in band m. */
    public double weight(int m, int k) {
        return weights[m * bins + k];
    }

    /** Mel energies of every frame: {@code [frames, bins] -> [frames, bands]}, mel = M |X|. */
    public double[] apply(double[] magnitude, int frames) {
        check(magnitude.length, frames * bins, "magnitude");
        double[] mel = new double[frames * bands];
        for (int f = 0; f < frames; f++) {
            for (int m = 0; m < bands; m++) {
                double s = 0;
                for (int k = first[m]; k < last[m]; k++) {
                    s += weights[m * bins + k] * magnitude[f * bins + k];
                }
                mel[f * bands + m] = s;
            }
        }
        return mel;
    }

    /** {@code M^T mel}: {@code [frames, bands] -> [frames, bins]}. */
    public double[] transpose(double[] mel, int frames) {
        check(mel.length, frames * bands, "mel");
        double[] out = new double[frames * bins];
        for (int f = 0; f < frames; f++) {
            for (int m = 0; m < bands; m++) {
                double v = mel[f * bands + m];
                if (v != 0) {
                    for (int k = first[m]; k < last[m]; k++) {
                        out[f * bins + k] += weights[m * bins + k] * v;
                    }
                }
            }
        }
        return out;
    }

    /**
     * The non-negative magnitudes S that best explain the mel energies, {@code min ||M S - mel||^2, S >= 0},
     * by Lee and Seung's multiplicative updates {@code S <- S * (M^T mel) / (M^T M S)} started from
     * {@code M^T mel}. Plain {@code M^T mel} smears each peak over its band and loses the clip's peak
     * amplitude (a calibration round trip fell to 0.815, loudness wrong); 30 updates keep it.
     */
    public double[] invert(double[] mel, int frames, int iterations) {
        double[] target = transpose(mel, frames);   // [frames, bins] M^T mel
        double[] s = target.clone();
        for (int it = 0; it < iterations; it++) {
            double[] denominator = transpose(apply(s, frames), frames);
            for (int i = 0; i < s.length; i++) {
                s[i] = denominator[i] > 1e-12 ? s[i] * target[i] / denominator[i] : 0;
            }
        }
        return s;
    }

    private static void check(int got, int expected, String what) {
        if (got != expected) {
            throw new IllegalArgumentException(what + " has " + got + " values, expected " + expected);
        }
    }
}
