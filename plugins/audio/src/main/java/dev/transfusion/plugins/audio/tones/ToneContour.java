package dev.transfusion.plugins.audio.tones;

import java.util.Locale;

/**
 * How the frequency moves over the sounding time t in [0, 1): steady f0, rising {@code f0 2^(t - 0.5)},
 * falling {@code f0 2^(0.5 - t)}.
 */
public enum ToneContour {
    STEADY(0), RISING(1), FALLING(-1);

    /** Slopes over this many octaves a second (either way) are rising or falling. */
    public static final double SLOPE_THRESHOLD = 0.4;

    private final int direction;

    ToneContour(int direction) {
        this.direction = direction;
    }

    /** The exponent's slope in octaves per unit of t: 0, +1 or -1. */
    public int direction() {
        return direction;
    }

    /** The caption word and answer, e.g. {@code "rising"}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The contour a fitted slope (octaves a second) reads as. */
    public static ToneContour ofSlope(double octavesPerSecond) {
        if (octavesPerSecond > SLOPE_THRESHOLD) {
            return RISING;
        }
        return octavesPerSecond < -SLOPE_THRESHOLD ? FALLING : STEADY;
    }
}
