package dev.transfusion.samples.cli;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.plugins.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Files of one continuous modality for the commands that read or write them: images as PNG (the SDK's own
 * image files), any other modality through its plugin's {@code readFile}/{@code writeFile} in the plugin's
 * formats (a {@code .wav} for audio).
 */
final class ModalityFiles {
    private final String modality;
    private final ContinuousModalityPlugin plugin;

    private ModalityFiles(String modality, ContinuousModalityPlugin plugin) {
        this.modality = modality;
        this.plugin = plugin;
    }

    /** The files of {@code modality} (null: images); the error lists the registered continuous modalities. */
    static ModalityFiles of(String modality) {
        String name = modality == null ? ImagePart.MODALITY : modality;
        ContinuousModalityPlugin p = plugin(name);
        if (!name.equals(ImagePart.MODALITY) && p.fileExtensions().isEmpty()) {
            throw new InvalidInputException("the '" + name + "' plugin reads and writes no files");
        }
        return new ModalityFiles(name, p);
    }

    /** The registered continuous plugin of {@code --modality NAME}; the error lists the registered ones. */
    static ContinuousModalityPlugin plugin(String name) {
        ModalityRegistry registry = Transfusion.registry();
        if (!registry.modalities().contains(name) || !(registry.plugin(name) instanceof ContinuousModalityPlugin p)) {
            throw new InvalidInputException("--modality " + name + " is not a registered continuous modality; registered: "
                    + registry.modalities().stream().filter(m -> registry.plugin(m) instanceof ContinuousModalityPlugin)
                    .sorted().toList() + " (a plugin jar in --plugins DIR adds one)");
        }
        return p;
    }

    /** The modality's name. */
    String modality() {
        return modality;
    }

    boolean images() {
        return modality.equals(ImagePart.MODALITY);
    }

    /** The extension written: png for images, else the plugin's first. */
    String extension() {
        return images() ? "png" : plugin.fileExtensions().get(0);
    }

    /** Writes a generated part. */
    void write(Part part, Path file) {
        if (part instanceof ImagePart img) {
            ImageFiles.writePng(img.image(), file);
        } else {
            plugin.writeFile(file, part);
        }
    }

    /** The files of a folder to read: for images those {@link ImageListing} gives, else the plugin's, by name. */
    List<Path> list(Path folder, String option) {
        if (images()) {
            return ImageListing.of(folder);
        }
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException(option + " " + folder + " is not a folder");
        }
        List<String> ext = plugin.fileExtensions();
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> out = files.filter(Files::isRegularFile).filter(f -> ext.stream().anyMatch(e ->
                    f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith("." + e))).sorted().toList();
            if (out.isEmpty()) {
                throw new InvalidInputException(folder + " holds no " + ext.stream().map(e -> "." + e).toList()
                        + " files for the '" + modality + "' modality");
            }
            return out;
        } catch (IOException e) {
            throw new InvalidInputException("cannot list " + option + " " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Reads one file as a part; images at the model's side. */
    Part read(Path file, int imageSide) {
        return images() ? new ImagePart(ImageFiles.read(file, imageSide)) : plugin.readFile(file);
    }
}
