package dev.transfusion.plugins.audio.tones;

import java.util.List;
import java.util.Objects;

/**
 * What a tones-v1 clip sounds like: one of the 3 x 3 x 2 x 2 x 2 = 72 attribute combinations.
 *
 * @param pitch    low, middle or high
 * @param contour  steady, rising or falling
 * @param rhythm   one note or three
 * @param timbre   pure or buzzy
 * @param loudness loud or quiet
 */
public record ToneAttributes(TonePitch pitch, ToneContour contour, ToneRhythm rhythm, ToneTimbre timbre,
                             ToneLoudness loudness) {
    /** How many combinations there are. */
    public static final int COMBINATIONS = 72;

    public ToneAttributes {
        Objects.requireNonNull(pitch, "pitch");
        Objects.requireNonNull(contour, "contour");
        Objects.requireNonNull(rhythm, "rhythm");
        Objects.requireNonNull(timbre, "timbre");
        Objects.requireNonNull(loudness, "loudness");
    }

    /**
     * Combination {@code i} of 72, pitch slowest and loudness fastest:
     * i = (((pitch * 3 + contour) * 2 + rhythm) * 2 + timbre) * 2 + loudness, in the enums' declaration order.
     */
    public static ToneAttributes ofIndex(int i) {
        if (i < 0 || i >= COMBINATIONS) {
            throw new IllegalArgumentException("combination index must be in [0, 72), got " + i);
        }
        return new ToneAttributes(TonePitch.values()[i / 24], ToneContour.values()[i / 8 % 3],
                ToneRhythm.values()[i / 4 % 2], ToneTimbre.values()[i / 2 % 2], ToneLoudness.values()[i % 2]);
    }

    /** The index {@link #ofIndex} maps back to this combination. */
    public int index() {
        return (((pitch.ordinal() * 3 + contour.ordinal()) * 2 + rhythm.ordinal()) * 2 + timbre.ordinal()) * 2
                + loudness.ordinal();
    }

    /** The caption, e.g. {@code a quiet buzzy high tone, falling, three notes}. */
    public String caption() {
        return "a " + loudness.word() + " " + timbre.word() + " " + pitch.word() + " tone, " + contour.word() + ", "
                + rhythm.words();
    }

    /** The spec's five question/answer pairs, in its order: pitch, contour, rhythm, timbre, loudness. */
    public List<ToneQuestion> questions() {
        return List.of(new ToneQuestion(ToneQuestion.PITCH, pitch.word()),
                new ToneQuestion(ToneQuestion.CONTOUR, contour.word()),
                new ToneQuestion(ToneQuestion.RHYTHM, rhythm.answer()),
                new ToneQuestion(ToneQuestion.TIMBRE, timbre.word()),
                new ToneQuestion(ToneQuestion.LOUDNESS, loudness.word()));
    }

    public ToneAttributes withPitch(TonePitch p) {
        return new ToneAttributes(p, contour, rhythm, timbre, loudness);
    }

    public ToneAttributes withContour(ToneContour c) {
        return new ToneAttributes(pitch, c, rhythm, timbre, loudness);
    }

    public ToneAttributes withRhythm(ToneRhythm r) {
        return new ToneAttributes(pitch, contour, r, timbre, loudness);
    }

    public ToneAttributes withTimbre(ToneTimbre t) {
        return new ToneAttributes(pitch, contour, rhythm, t, loudness);
    }

    public ToneAttributes withLoudness(ToneLoudness l) {
        return new ToneAttributes(pitch, contour, rhythm, timbre, l);
    }
}
