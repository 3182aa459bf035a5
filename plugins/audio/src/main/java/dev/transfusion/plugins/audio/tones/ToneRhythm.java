package dev.transfusion.plugins.audio.tones;

import java.util.List;

/** One note (0.05-0.95 s) or three (0.05-0.25, 0.40-0.60, 0.75-0.95 s). */
public enum ToneRhythm {
    ONE("one note", "one", List.of(new double[] {0.05, 0.95})),
    THREE("three notes", "three", List.of(new double[] {0.05, 0.25}, new double[] {0.40, 0.60}, new double[] {0.75, 0.95}));

    private final String words;
    private final String answer;
    private final List<double[]> notes;

    ToneRhythm(String words, String answer, List<double[]> notes) {
        this.words = words;
        this.answer = answer;
        this.notes = notes;
    }

    /** The caption words, e.g. {@code "three notes"}. */
    public String words() {
        return words;
    }

    /** The answer to "how many notes?": {@code "one"} or {@code "three"}. */
    public String answer() {
        return answer;
    }

    /** How many notes. */
    public int count() {
        return notes.size();
    }

    /** Note i's start in seconds. */
    public double start(int i) {
        return notes.get(i)[0];
    }

    /** Note i's end in seconds. */
    public double end(int i) {
        return notes.get(i)[1];
    }
}
