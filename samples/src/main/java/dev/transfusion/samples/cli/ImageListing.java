package dev.transfusion.samples.cli;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.plugins.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The images of a folder: those its {@code manifest.tsv} lists (file TAB text), in order, or else every image. */
final class ImageListing {
    private ImageListing() {
    }

    static List<Path> of(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException("--images " + folder + " is not a folder");
        }
        Path manifest = folder.resolve("manifest.tsv");
        if (!Files.exists(manifest)) {
            List<Path> all = ImageFiles.list(folder);
            if (all.isEmpty()) {
                throw new InvalidInputException(folder + " holds no PNG or JPEG images and no manifest.tsv");
            }
            return all;
        }
        List<Path> files = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(manifest);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                String name = line.split("\t", 2)[0];
                Path f = folder.resolve(name).normalize();
                if (!f.startsWith(folder.normalize())) {
                    throw new InvalidInputException(manifest + " line " + (i + 1) + ": '" + name
                            + "' points outside the folder");
                }
                files.add(f);
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + manifest + ": " + e.getMessage(), e);
        }
        return files;
    }
}
