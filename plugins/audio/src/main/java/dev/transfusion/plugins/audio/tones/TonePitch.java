package dev.transfusion.plugins.audio.tones;

import java.util.Locale;

/** The three pitches of tones-v1: the centre frequency f0 before jitter. */
public enum TonePitch {
    LOW(220), MIDDLE(440), HIGH(880);

    private final double hz;

    TonePitch(double hz) {
        this.hz = hz;
    }

    /** f0 in Hz before jitter. */
    public double hz() {
        return hz;
    }

    /** The caption word and answer, e.g. {@code "high"}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The pitch whose log2 frequency is nearest to {@code log2Hz} (the judge's rule). */
    public static TonePitch nearest(double log2Hz) {
        TonePitch best = LOW;
        for (TonePitch p : values()) {
            if (Math.abs(log2Hz - log2(p.hz)) < Math.abs(log2Hz - log2(best.hz))) {
                best = p;
            }
        }
        return best;
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
