package dev.transfusion.plugins.audio.tones;

import java.util.Locale;

/** Pure (a sine) or buzzy (odd harmonics 1, 3, 5, 7 at amplitudes 1, 1/3, 1/5, 1/7). */
public enum ToneTimbre {
    PURE, BUZZY;

    /** Third-harmonic to fundamental magnitude ratios over this read as buzzy. */
    public static final double BUZZY_ABOVE = 0.12;

    /** The caption word and answer. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
