package dev.transfusion.plugins.audio.tones;

import org.jspecify.annotations.Nullable;

/**
 * Which of the five attributes were read correctly.
 *
 * @param pitch    pitch right
 * @param contour  contour right
 * @param rhythm   rhythm right
 * @param timbre   timbre right
 * @param loudness loudness right
 */
public record ToneVerdict(boolean pitch, boolean contour, boolean rhythm, boolean timbre, boolean loudness) {
    /** Every attribute wrong: an unparsable caption. */
    public static final ToneVerdict WRONG = new ToneVerdict(false, false, false, false, false);

    /** Compares parsed attributes with the truth, attribute by attribute. */
    public static ToneVerdict compare(ToneAttributes read, ToneAttributes truth) {
        return new ToneVerdict(read.pitch() == truth.pitch(), read.contour() == truth.contour(),
                read.rhythm() == truth.rhythm(), read.timbre() == truth.timbre(), read.loudness() == truth.loudness());
    }

    /** Compares a clip's reading with the truth; an attribute the clip did not show (null) is wrong. */
    public static ToneVerdict compare(ToneReading read, ToneAttributes truth) {
        return new ToneVerdict(same(read.pitch(), truth.pitch()), same(read.contour(), truth.contour()),
                read.rhythm() == truth.rhythm(), same(read.timbre(), truth.timbre()), read.loudness() == truth.loudness());
    }

    private static boolean same(@Nullable Object read, Object truth) {
        return truth.equals(read);
    }

    /** Whether all five are right: the spec's pass. */
    public boolean all() {
        return pitch && contour && rhythm && timbre && loudness;
    }
}
