package dev.transfusion.plugins.audio.tones;

import java.util.Locale;

/** Loud (peak 0.5 of full scale) or quiet (peak 0.125), before jitter. */
public enum ToneLoudness {
    LOUD(0.5), QUIET(0.125);

    /** A 90th percentile of absolute samples over this reads as loud. */
    public static final double LOUD_ABOVE = 0.25;

    private final double peak;

    ToneLoudness(double peak) {
        this.peak = peak;
    }

    /** The peak amplitude before jitter, as a fraction of full scale. */
    public double peak() {
        return peak;
    }

    /** The caption word and answer. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
