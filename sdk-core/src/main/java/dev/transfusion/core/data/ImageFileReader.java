package dev.transfusion.core.data;

import dev.transfusion.api.ImageCodecs;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Reads image files named by data-set listings: resolves a listed name safely inside the listing's
 * folder, and decodes it with {@link ImageCodecs}, the decoder the command line and the server use too.
 */
public final class ImageFileReader {
    private ImageFileReader() {
    }

    /**
     * The file {@code name} inside {@code folder}.
     *
     * @param where the listing and line, for messages (may be empty) (e.g. {@code /data/metadata.jsonl line 3})
     * @throws InvalidInputException when the name is empty, absolute, escapes the folder (also through a
     *                               symbolic link) or names no regular file
     */
    static Path resolveInside(Path folder, String name, String where) {
        if (name.isBlank()) {
            throw new InvalidInputException(where + ": empty image file name");
        }
        Path rel;
        try {
            rel = Path.of(name);
        } catch (InvalidPathException e) {
            throw new InvalidInputException(where + ": invalid image file name '" + name + "': " + e.getMessage(), e);
        }
        Path base = folder.toAbsolutePath().normalize();
        Path file = base.resolve(rel).normalize();
        if (rel.isAbsolute() || name.startsWith("/") || name.startsWith("\\") || !file.startsWith(base)) {
            throw new InvalidInputException(where + ": image file name '" + name + "' escapes the folder " + base);
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(where + ": image file " + file + " does not exist");
        }
        try {
            if (!file.toRealPath().startsWith(base.toRealPath())) {
                throw new InvalidInputException(where + ": image file name '" + name
                        + "' leads outside the folder " + base + " through a link");
            }
        } catch (IOException e) {
            throw new InvalidInputException(where + ": cannot resolve image file " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * Decodes an image file with the SDK's one decoder ({@link ImageCodecs}).
     *
     * @param where the listing and line, for messages (may be empty)
     * @throws InvalidInputException naming the file when it cannot be read, is not an image, or is too large
     */
    public static RgbImage read(Path file, String where) {
        if (where.isEmpty()) {
            return ImageCodecs.read(file);
        }
        try {
            return ImageCodecs.read(file);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(where + ": " + e.getMessage(), e);
        }
    }
}
