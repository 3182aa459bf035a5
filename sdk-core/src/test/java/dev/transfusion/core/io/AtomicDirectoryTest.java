package dev.transfusion.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic directory writes: a failed write leaves the previous version, and a killed swap is repaired. */
class AtomicDirectoryTest {

    private static void version(Path dir, String v) throws IOException {
        Files.writeString(dir.resolve("a.txt"), "a" + v);
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.txt"), "b" + v);
        Manifest.write(dir, "test-format", 1);
    }

    @Test
    void aDiskErrorMidWriteLeavesThePreviousVersionIntact(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("ckpt");
        AtomicDirectory.write(target, d -> version(d, "1"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> AtomicDirectory.write(target, d -> {
            Files.writeString(d.resolve("a.txt"), "a2");
            throw new IOException("No space left on device");   // what a full disk reports half way through
        }));
        assertEquals("could not write " + target + ": No space left on device (the previous version is intact)",
                e.getMessage());
        Manifest.verify(target, "test-format", 1);
        assertEquals("a1", Files.readString(target.resolve("a.txt")));
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(target), left.toList(), "no temporary directory left behind");
        }
    }

    @Test
    void aProcessKilledBetweenTheTwoRenamesLeavesARecoverableOldVersion(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("ckpt");
        AtomicDirectory.write(target, d -> version(d, "1"));
        // what kill -9 leaves after "move target aside", before "move the new one in": no target, the old
        // version under its hidden name, and the new one's temporary directory of a process now dead
        Files.move(target, tmp.resolve(".ckpt.old-123"));
        Path orphan = Files.createDirectories(tmp.resolve(".ckpt.tmp-" + Integer.MAX_VALUE + "-5"));
        Files.writeString(orphan.resolve("a.txt"), "half");

        AtomicDirectory.recover(target);

        Manifest.verify(target, "test-format", 1);
        assertEquals("b1", Files.readString(target.resolve("sub/b.txt")));
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(target), left.toList(), "the old version moved back, the dead temporary gone");
        }
        AtomicDirectory.write(target, d -> version(d, "2"));
        assertEquals("a2", Files.readString(target.resolve("a.txt")));
    }

    @Test
    void recoveringAnIntactDirectoryChangesNothing(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("ckpt");
        AtomicDirectory.recover(target);   // nothing there yet: nothing to do
        AtomicDirectory.write(target, d -> version(d, "1"));
        Path ours = Files.createDirectories(tmp.resolve(".ckpt.tmp-" + ProcessHandle.current().pid() + "-7"));
        AtomicDirectory.recover(target);
        assertTrue(Files.isDirectory(ours), "a temporary directory of a live process is being written: kept");
        assertEquals("a1", Files.readString(target.resolve("a.txt")));
    }

    @Test
    void oldVersionsLeftByAKillDuringTheirDeletionAreCleanedAtTheNextWrite(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("checkpoint");
        AtomicDirectory.write(target, d -> version(d, "1"));
        for (String n : List.of(".checkpoint.old-11", ".checkpoint.old-22")) {   // half-deleted old versions
            Files.createDirectories(tmp.resolve(n).resolve("sub"));
            Files.writeString(tmp.resolve(n).resolve("sub/b.txt"), "stale");
        }
        AtomicDirectory.write(target, d -> version(d, "2"));
        try (var left = Files.list(tmp)) {
            assertEquals(List.of("checkpoint"), left.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("a2", Files.readString(target.resolve("a.txt")));
    }
}
