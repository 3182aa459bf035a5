package dev.transfusion.samples.cli;

import dev.transfusion.api.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A folder {@code generate} writes: NNNN.png files (NNNN.wav, ... for other modalities) and the manifest.tsv
 * that lists them.
 *
 * <p>Writing again into such a folder first removes the images its old manifest lists, then the manifest, so
 * that no stale image from a longer earlier run sits beside the new manifest. Only files named like ours
 * (NNNN.png, NNNN.wav) that the manifest lists, directly in the folder, are removed: a user's own files are never touched.
 * Re-running into the same folder is the normal way to iterate on prompts, so this is not refused.
 */
final class GeneratedFolder {
    static final String MANIFEST = "manifest.tsv";
    private static final Pattern OURS = Pattern.compile("\\d{4,}\\.[a-z0-9]{1,8}");

    private GeneratedFolder() {
    }

    /** Removes the outputs of an earlier run in {@code dir}, if its manifest lists any. */
    static void clear(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(manifest);
            for (String line : lines) {
                String name = line.split("\t", 2)[0];
                if (OURS.matcher(name).matches()) {
                    Files.deleteIfExists(dir.resolve(name));
                }
            }
            Files.delete(manifest);
        } catch (IOException e) {
            throw new InvalidInputException("cannot remove the earlier outputs listed in " + manifest + ": " + e, e);
        }
    }
}
