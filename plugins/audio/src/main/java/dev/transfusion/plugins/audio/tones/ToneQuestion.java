package dev.transfusion.plugins.audio.tones;

import java.util.List;

/**
 * A tones-v1 question about a clip and its expected answer.
 *
 * @param question one of the five spec questions, exactly as written there
 * @param answer   the attribute word, e.g. {@code "high"} or {@code "three"}
 */
public record ToneQuestion(String question, String answer) {
    public static final String PITCH = "how high is the tone?";
    public static final String CONTOUR = "does it rise or fall?";
    public static final String RHYTHM = "how many notes?";
    public static final String TIMBRE = "is it pure or buzzy?";
    public static final String LOUDNESS = "is it loud or quiet?";
    /** The five questions, in the spec's order. */
    public static final List<String> QUESTIONS = List.of(PITCH, CONTOUR, RHYTHM, TIMBRE, LOUDNESS);
}
