package dev.transfusion.samples.cli;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * Progress of long work on stderr: a bar redrawn in place on a terminal; off a terminal (a log, a pipe) one
 * line at the end and at most one line every {@link #LOG_EVERY_NANOS} before it, so that logs stay short.
 *
 * <p>The time left is shown only once {@link #TIMED_UPDATES} updates after the first have been timed, and is
 * measured from the first update: the first unit of work carries one-off costs (graph building, warm-up) that
 * would otherwise make the first estimate many times too long.
 */
public final class ProgressBar {
    private static final int WIDTH = 28;
    /** Off a terminal: the most one line in this time (30 s). */
    static final long LOG_EVERY_NANOS = 30_000_000_000L;
    /** Updates after the first that are timed before an estimate of the time left is shown. */
    static final int TIMED_UPDATES = 3;

    private final PrintWriter err;
    private final boolean interactive;
    private final String label;
    private final long total;
    private final LongSupplier clock;
    private final long started;
    private long firstDone = -1;
    private long firstAt;
    private int updates;
    private long lastDraw = Long.MIN_VALUE;
    private boolean showFirst;

    /** A bar for {@code total} units of work labelled {@code label}. */
    public ProgressBar(Terminal terminal, String label, long total) {
        this(terminal, label, total, System::nanoTime);
    }

    /** As above, on the given nanosecond clock (for tests). */
    ProgressBar(Terminal terminal, String label, long total, LongSupplier clock) {
        this.err = terminal.err();
        this.interactive = terminal.interactive();
        this.label = label;
        this.total = Math.max(1, total);
        this.clock = clock;
        this.started = clock.getAsLong();
    }

    /**
     * Off a terminal, prints the first update as well: for training, where a log should show at once where the run
     * started (a resumed one at its checkpoint). Returns this bar.
     */
    public ProgressBar showingFirstUpdate() {
        showFirst = true;
        return this;
    }

    /** Reports {@code done} units finished, with an optional detail such as the current loss. */
    public void update(long done, String detail) {
        long now = clock.getAsLong();
        if (firstDone < 0) {
            firstDone = done;
            firstAt = now;
        }
        updates++;
        boolean finished = done >= total;
        if (!finished && lastDraw != Long.MIN_VALUE && now - lastDraw < (interactive ? 100_000_000L : LOG_EVERY_NANOS)) {
            return;   // on a terminal at most ten redraws a second
        }
        if (!interactive && !finished && lastDraw == Long.MIN_VALUE && now - started < LOG_EVERY_NANOS && !showFirst) {
            return;   // off a terminal, short work prints only its last line
        }
        lastDraw = now;
        String text = String.format("%s %d/%d %selapsed %s%s", label, done, total,
                detail.isEmpty() ? "" : detail + " ", duration((now - started) / 1e9), left(done, now));
        if (interactive) {
            int filled = (int) Math.round(Math.min(1.0, (double) done / total) * WIDTH);
            err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + text + "\u001b[K");
            if (finished) {
                err.println();
            }
            err.flush();
        } else {
            err.println(text);
        }
    }

    /** ", left 3m05s" from the rate since the first update, or nothing while too few updates were timed. */
    private String left(long done, long now) {
        if (done >= total || updates <= TIMED_UPDATES || done <= firstDone) {
            return "";
        }
        double perUnit = (now - firstAt) / 1e9 / (done - firstDone);
        return ", left " + duration(perUnit * (total - done));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
