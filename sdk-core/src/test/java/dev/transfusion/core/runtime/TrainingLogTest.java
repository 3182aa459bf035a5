package dev.transfusion.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.TrainingStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** training-log.tsv: a line per step, passed on to the listener; a resumed run keeps each step once. */
class TrainingLogTest {
    @TempDir
    Path dir;

    private static TrainingStep step(long k) {
        return new TrainingStep(k, 10, 2.0 / k, 0.5 / k, 2.0 / k + 2.5 / k, 1.0, 1e-3, 64, 12.5);
    }

    private void run(long resumedAt, long from, long to, List<Long> seen) {
        try (TrainingLog log = TrainingLog.open(dir, resumedAt)) {
            TrainingListener l = log.around(s -> seen.add(s.step()));
            for (long k = from; k <= to; k++) {
                l.onStep(step(k));
            }
        }
    }

    @Test
    void everyStepIsLoggedOnceAcrossAKillAndAResume() throws IOException {
        List<Long> seen = new ArrayList<>();
        run(0, 1, 7, seen);          // killed after step 7; its last checkpoint was at step 5
        run(5, 6, 10, seen);         // resumed from step 5
        assertEquals(12, seen.size(), "the listener still gets every step");
        List<String> lines = Files.readAllLines(dir.resolve(TrainingLog.FILE));
        assertEquals(TrainingLog.HEADER, lines.get(0));
        assertEquals(11, lines.size(), String.join("\n", lines));
        for (int k = 1; k <= 10; k++) {
            assertTrue(lines.get(k).startsWith(k + "\t"), lines.get(k));
        }
        assertEquals("3\t1.500000\t0.666667\t0.166667\t1.0000\t0.00100000\t64\t12.5\timage=0.166667", lines.get(3));
    }

    @Test
    void aFreshRunStartsANewLog() throws IOException {
        run(0, 1, 4, new ArrayList<>());
        run(0, 1, 2, new ArrayList<>());
        assertEquals(3, Files.readAllLines(dir.resolve(TrainingLog.FILE)).size());
    }
}
