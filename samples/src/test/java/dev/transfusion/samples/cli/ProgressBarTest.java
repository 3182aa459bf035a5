package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Progress lines, on a fake clock: how many lines off a terminal, and when an estimate of the time left appears. */
class ProgressBarTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private long now;

    private ProgressBar bar(boolean interactive, long total) {
        PrintWriter w = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        return new ProgressBar(new Terminal(InputStream.nullInputStream(), w, w, interactive), "image 1/1", total,
                () -> now);
    }

    private String text() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void offATerminalShortWorkPrintsOneLine() {
        ProgressBar b = bar(false, 25);
        for (int k = 1; k <= 25; k++) {
            now += 10_000_000L;   // 10 ms a step
            b.update(k, "");
        }
        assertEquals(1, text().lines().count(), text());
        assertTrue(text().startsWith("image 1/1 25/25 elapsed 0s"), text());
    }

    @Test
    void trainingShowsItsFirstStepOffATerminal() {
        ProgressBar b = bar(false, 100).showingFirstUpdate();
        for (int k = 5; k <= 100; k++) {
            now += 10_000_000L;
            b.update(k, "");
        }
        assertEquals(2, text().lines().count(), text());
        assertTrue(text().startsWith("image 1/1 5/100 "), "where the (resumed) run started: " + text());
    }

    @Test
    void offATerminalLongWorkPrintsALineEveryThirtySeconds() {
        ProgressBar b = bar(false, 100);
        for (int k = 1; k <= 100; k++) {
            now += 3_000_000_000L;   // 3 s a step: 300 s in all
            b.update(k, "loss 1.0,");
        }
        long lines = text().lines().count();
        assertTrue(lines >= 10 && lines <= 11, lines + " lines: " + text());
    }

    @Test
    void theTimeLeftWaitsForTimedStepsAndLeavesOutTheSlowFirstOne() {
        ProgressBar b = bar(true, 1000);
        now += 1000_000_000_000L;   // the first step builds the graph: 1000 s
        b.update(1, "");
        assertFalse(text().contains("left"), "no estimate from one step: " + text());
        for (int k = 2; k <= 5; k++) {
            now += 1_000_000_000L;   // then 1 s a step
            b.update(k, "");
        }
        String last = text().substring(text().lastIndexOf('\r'));
        assertTrue(last.contains("left 16m35s"), "995 steps of 1 s left: " + last);
    }
}
