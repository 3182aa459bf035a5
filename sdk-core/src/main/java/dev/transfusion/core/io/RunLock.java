package dev.transfusion.core.io;

import dev.transfusion.api.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a second process (or thread) from writing the same output directory: {@code DIR/.lock} holds the
 * holder's PID under an operating-system lock. The OS drops the lock when its holder dies, so a lock file
 * left by a killed run is stale and simply taken over; a live holder is named in the refusal.
 */
public final class RunLock implements AutoCloseable {
    static final String FILE = ".lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dir} (created if missing).
     *
     * @param what what takes it, for the refusal ({@code "training run"})
     * @throws InvalidInputException when another live process or thread holds it, naming its PID
     */
    public static RunLock acquire(Path dir, String what) {
        Path file = dir.resolve(FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;   // this JVM holds it already
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                ch.close();
                throw new InvalidInputException(dir + " is in use by another " + what
                        + (holder.isEmpty() ? "" : " (PID " + holder + ", see " + file + ")")
                        + "; wait for it to finish, or give another output directory");
            }
            // ours now: whatever PID the file held was a run that died (the OS released its lock)
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            return new RunLock(file, ch, lock);
        } catch (IOException e) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // the original error matters
            }
            throw new InvalidInputException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the lock file and releases the lock. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);   // while still held: nobody can take a lock on a file about to vanish
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the OS releases the lock with the process anyway
        }
    }
}
