package dev.transfusion.samples.cli;

import java.io.PrintWriter;

/**
 * Progress of long work on stderr: a bar redrawn in place on a terminal, and a plain line every tenth
 * of the way (and at the end) otherwise, so that logs stay short.
 */
public final class ProgressBar {
    private static final int WIDTH = 28;
    private final PrintWriter err;
    private final boolean interactive;
    private final String label;
    private final long total;
    private final long started = System.nanoTime();
    private long lastTenth = -1;
    private long lastDraw;

    /** A bar for {@code total} units of work labelled {@code label}. */
    public ProgressBar(Terminal terminal, String label, long total) {
        this.err = terminal.err();
        this.interactive = terminal.interactive();
        this.label = label;
        this.total = Math.max(1, total);
    }

    /** Reports {@code done} units finished, with an optional detail such as the current loss. */
    public void update(long done, String detail) {
        double share = Math.min(1.0, (double) done / total);
        double elapsed = (System.nanoTime() - started) / 1e9;
        String left = done > 0 ? duration(elapsed * (total - done) / done) : "?";
        String text = String.format("%s %d/%d %s elapsed %s, left %s", label, done, total, detail, duration(elapsed), left);
        if (interactive) {
            long now = System.nanoTime();
            if (now - lastDraw < 100_000_000L && done < total) {
                return;   // at most ten redraws a second
            }
            lastDraw = now;
            int filled = (int) Math.round(share * WIDTH);
            err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + text + "\u001b[K");
            if (done >= total) {
                err.println();
            }
            err.flush();
        } else {
            long tenth = (long) Math.floor(share * 10);
            if (tenth != lastTenth || done >= total) {
                lastTenth = tenth;
                err.println(text);
            }
        }
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
