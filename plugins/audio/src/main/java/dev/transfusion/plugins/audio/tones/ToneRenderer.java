package dev.transfusion.plugins.audio.tones;

import dev.transfusion.plugins.audio.AudioClip;

/**
 * Renders a tones-v1 clip: 1.000 s at 8 kHz, exactly as the spec words it.
 * <ul>
 *   <li>the instantaneous frequency at time s is {@code f(s) = f0 2^(d (t - 0.5))} with
 *       {@code t = (s - 0.05) / 0.9} (the sounding span 0.05-0.95 s mapped to [0, 1), through the gaps too)
 *       and d = 0, +1, -1 for steady, rising, falling; the same formula holds before 0.05 s, where it is
 *       silent anyway;</li>
 *   <li>the phase is the exact integral of {@code 2 pi f} from 0, so it runs on through silences;</li>
 *   <li>pure: {@code sin(phase)}; buzzy: {@code sum_h sin(h phase) / h} over h = 1, 3, 5, 7, each harmonic
 *       only at samples where {@code h f(s) < 3900} Hz, then divided by the clip's peak;</li>
 *   <li>each note has 10 ms linear fades: gain {@code clamp(min(s - start, end - s) / 0.01, 0, 1)};</li>
 *   <li>finally times the peak amplitude (loudness times its jitter).</li>
 * </ul>
 */
public final class ToneRenderer {
    /** Samples per clip. */
    public static final int SAMPLES = AudioClip.SAMPLE_RATE;
    /** Harmonics at or above this frequency are left out (no aliasing under Nyquist, 4 kHz). */
    public static final double HARMONIC_LIMIT_HZ = 3900;
    /** Fade-in and fade-out of each note, seconds. */
    public static final double FADE = 0.01;
    /** The sounding span the contour's t runs over: 0.05 s to 0.95 s. */
    public static final double SPAN_START = 0.05;
    public static final double SPAN_LENGTH = 0.9;
    private static final int[] HARMONICS = {1, 3, 5, 7};

    private ToneRenderer() {
    }

    /**
     * The clip, samples as fractions of full scale.
     *
     * @param a    the attributes (pitch and loudness only through f0 and peak)
     * @param f0   centre frequency after jitter, Hz
     * @param peak peak amplitude after jitter
     */
    public static float[] render(ToneAttributes a, double f0, double peak) {
        int d = a.contour().direction();
        double[] x = new double[SAMPLES];
        double max = 0;
        for (int n = 0; n < SAMPLES; n++) {
            double s = (double) n / AudioClip.SAMPLE_RATE;
            double gain = gain(a.rhythm(), s);
            if (gain == 0) {
                continue;
            }
            double f = frequency(f0, d, s), cycles = cycles(f0, d, s), v = 0;
            if (a.timbre() == ToneTimbre.PURE) {
                v = Math.sin(2 * Math.PI * cycles);
            } else {
                for (int h : HARMONICS) {
                    if (h * f < HARMONIC_LIMIT_HZ) {
                        v += Math.sin(2 * Math.PI * h * cycles) / h;
                    }
                }
            }
            x[n] = gain * v;
            max = Math.max(max, Math.abs(x[n]));
        }
        double scale = a.timbre() == ToneTimbre.BUZZY && max > 0 ? peak / max : peak;
        float[] out = new float[SAMPLES];
        for (int n = 0; n < SAMPLES; n++) {
            out[n] = (float) (x[n] * scale);
        }
        return out;
    }

    /** f(s) in Hz. */
    static double frequency(double f0, int d, double s) {
        return f0 * Math.pow(2, d * ((s - SPAN_START) / SPAN_LENGTH - 0.5));
    }

    /** The phase at time s in cycles: the integral of f from 0 to s. */
    static double cycles(double f0, int d, double s) {
        if (d == 0) {
            return f0 * s;
        }
        // integral of f0 2^(d ((tau - 0.05) / 0.9 - 0.5)) d tau = f0 0.9 / (d ln 2) [2^(...)]
        double k = f0 * SPAN_LENGTH / (d * Math.log(2));
        return k * (Math.pow(2, d * ((s - SPAN_START) / SPAN_LENGTH - 0.5)) - Math.pow(2, d * (-SPAN_START / SPAN_LENGTH - 0.5)));
    }

    /** The notes' envelope at time s: 0 outside, linear 10 ms fades, 1 between. */
    static double gain(ToneRhythm rhythm, double s) {
        double g = 0;
        for (int i = 0; i < rhythm.count(); i++) {
            double edge = Math.min(s - rhythm.start(i), rhythm.end(i) - s) / FADE;
            g = Math.max(g, Math.max(0, Math.min(1, edge)));
        }
        return g;
    }
}
