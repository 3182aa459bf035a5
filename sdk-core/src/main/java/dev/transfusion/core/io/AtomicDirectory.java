package dev.transfusion.core.io;

import dev.transfusion.api.CheckpointException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Writes a directory so that readers see either the old one or the complete new one, never a half:
 * files go to a hidden temporary sibling, are forced to disk, and the directory is renamed into place.
 */
public final class AtomicDirectory {

    /** Fills a directory. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the content into {@code dir}, which exists and is empty. */
        void write(Path dir) throws IOException;
    }

    private AtomicDirectory() {
    }

    /**
     * Writes {@code target} through {@code writer}. An existing {@code target} is replaced only after the
     * new content is complete; if writing fails, {@code target} is left as it was and the error names it.
     */
    public static void write(Path target, Writer writer) {
        Path parent = target.toAbsolutePath().getParent();
        String name = target.getFileName().toString();
        Path tmp = parent.resolve("." + name + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectories(parent);
            recover(target);
            Files.createDirectory(tmp);
            writer.write(tmp);
            syncTree(tmp);
            if (Files.exists(target)) {
                Path old = parent.resolve("." + name + ".old-" + System.nanoTime());
                move(target, old);
                move(tmp, target);
                deleteTree(old);
            } else {
                move(tmp, target);
            }
            sync(parent);
        } catch (IOException | RuntimeException e) {
            try {
                deleteTree(tmp);
            } catch (IOException ignored) {
                // the temporary directory is hidden and harmless; the original error matters
            }
            throw new CheckpointException("could not write " + target + ": " + e.getMessage()
                    + (Files.exists(target) ? " (the previous version is intact)" : ""), e);
        }
    }

    /**
     * Repairs what a process killed while writing {@code target} left behind: if it died between moving the old
     * version aside and renaming the new one into place, {@code target} is missing and the old version, complete,
     * is put back; old versions left by a kill while they were deleted, and temporary directories of processes
     * no longer alive, are deleted. Call it before looking for
     * {@code target} (a resume after {@code kill -9}); {@link #write} calls it itself.
     *
     * @throws CheckpointException when the old version cannot be put back
     */
    public static void recover(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        String name = target.getFileName().toString();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        try (var siblings = Files.list(parent)) {
            Path newestOld = null;
            for (Path p : siblings.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("." + name + ".old-") && (newestOld == null || suffix(p) > suffix(newestOld))) {
                    newestOld = p;
                } else if (n.startsWith("." + name + ".tmp-") && !ownerAlive(n, name)) {
                    deleteTree(p);
                }
            }
            if (newestOld != null && !Files.exists(target)) {
                move(newestOld, target);
                sync(parent);
            }
            // with the target in place, every old version still here is stale: a kill while it was being deleted
            try (var left = Files.list(parent)) {
                for (Path p : left.toList()) {
                    if (p.getFileName().toString().startsWith("." + name + ".old-")) {
                        deleteTree(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new CheckpointException("could not recover " + target + " after an interrupted write: "
                    + e.getMessage(), e);
        }
    }

    /** The number after the last '-' of a temporary name (nanoTime when it was made), -1 if none. */
    private static long suffix(Path p) {
        String n = p.getFileName().toString();
        try {
            return Long.parseLong(n.substring(n.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether the process that made the temporary directory {@code .NAME.tmp-PID-NANOS} still runs. */
    private static boolean ownerAlive(String tmpName, String name) {
        String rest = tmpName.substring(("." + name + ".tmp-").length());
        int dash = rest.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;   // not one of ours: leave it
        }
    }

    /** Writes one file atomically: a temporary sibling, forced to disk, renamed over the target. */
    public static void writeFile(Path target, byte[] content) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + System.nanoTime());
        try {
            Files.write(tmp, content);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            move(tmp, target);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new CheckpointException("could not write " + target + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void syncTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
            }
        }
    }

    private static void sync(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be opened for sync; the rename is still atomic
        }
    }

    /** Deletes a directory tree if it exists. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
