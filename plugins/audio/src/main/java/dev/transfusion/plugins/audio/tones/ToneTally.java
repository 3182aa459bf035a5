package dev.transfusion.plugins.audio.tones;

/**
 * Counts of verdicts: how many clips (or captions) were right in all five attributes and in each one.
 * Not thread-safe; one per evaluation.
 */
public final class ToneTally {
    private int n;
    private int all;
    private final int[] right = new int[5];   // pitch, contour, rhythm, timbre, loudness

    /** Adds one verdict. */
    public void add(ToneVerdict v) {
        n++;
        all += v.all() ? 1 : 0;
        boolean[] each = {v.pitch(), v.contour(), v.rhythm(), v.timbre(), v.loudness()};
        for (int i = 0; i < each.length; i++) {
            right[i] += each[i] ? 1 : 0;
        }
    }

    /** Verdicts added. */
    public int count() {
        return n;
    }

    /** Share with all five right; 0 when empty. */
    public double all() {
        return share(all);
    }

    public double pitch() {
        return share(right[0]);
    }

    public double contour() {
        return share(right[1]);
    }

    public double rhythm() {
        return share(right[2]);
    }

    public double timbre() {
        return share(right[3]);
    }

    public double loudness() {
        return share(right[4]);
    }

    /** The lowest of the five per-attribute shares. */
    public double worstAttribute() {
        return Math.min(Math.min(pitch(), contour()), Math.min(Math.min(rhythm(), timbre()), loudness()));
    }

    private double share(int count) {
        return n == 0 ? 0 : (double) count / n;
    }

    @Override
    public String toString() {
        return String.format("all five %d/%d (%.3f); pitch %d, contour %d, rhythm %d, timbre %d, loudness %d",
                all, n, all(), right[0], right[1], right[2], right[3], right[4]);
    }
}
