package dev.transfusion.plugins.audio;

/**
 * The one-sided complex spectrum of each frame of a signal, {@code [frames, bins]} row-major with
 * bins = frame size / 2 + 1. The arrays are shared, not copied: the DSP code fills them in place.
 *
 * @param frames frames
 * @param bins   bins per frame
 * @param re     real parts, {@code frames * bins}
 * @param im     imaginary parts, {@code frames * bins}
 */
public record ComplexSpectrogram(int frames, int bins, double[] re, double[] im) {

    public ComplexSpectrogram {
        if (re.length != frames * bins || im.length != frames * bins) {
            throw new IllegalArgumentException("spectrogram [" + frames + ", " + bins + "] needs " + frames * bins
                    + " values, got " + re.length + " and " + im.length);
        }
    }

    /** An all-zero spectrogram. */
    public static ComplexSpectrogram zeros(int frames, int bins) {
        return new ComplexSpectrogram(frames, bins, new double[frames * bins], new double[frames * bins]);
    }

    /** The magnitudes {@code |X|}, {@code [frames, bins]}. */
    public double[] magnitude() {
        double[] m = new double[re.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = Math.sqrt(re[i] * re[i] + im[i] * im[i]);   // not Math.hypot: several times slower, and no overflow here
        }
        return m;
    }
}
