package dev.transfusion.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per output directory: a live holder keeps others out; a dead one's lock is stale. */
class RunLockTest {
    private static final long PID = ProcessHandle.current().pid();

    @Test
    void aSecondRunIsKeptOutAndNamesTheHolder(@TempDir Path out) throws Exception {
        try (RunLock first = RunLock.acquire(out, "training run")) {
            assertEquals(PID + "\n", Files.readString(out.resolve(RunLock.FILE)));
            var e = assertThrows(InvalidInputException.class, () -> RunLock.acquire(out, "training run"));
            assertEquals(out + " is in use by another training run (PID " + PID + ", see " + out.resolve(RunLock.FILE)
                    + "); wait for it to finish, or give another output directory", e.getMessage());
        }
        assertFalse(Files.exists(out.resolve(RunLock.FILE)), "released and removed");
        RunLock.acquire(out, "training run").close();   // free again
    }

    @Test
    void aLockFileLeftByADeadRunIsTakenOver(@TempDir Path out) throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Files.writeString(out.resolve(RunLock.FILE), p.pid() + "\n");   // a run killed with kill -9 leaves this
        try (RunLock lock = RunLock.acquire(out, "training run")) {
            assertEquals(PID + "\n", Files.readString(out.resolve(RunLock.FILE)));
        }
    }
}
