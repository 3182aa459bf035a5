package dev.transfusion.plugins.image;

import dev.transfusion.api.ImageCodecs;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Image files in and out: PNG or JPEG (anything ImageIO reads) to {@link RgbImage}, and PNG back.
 * Greyscale becomes a one-channel image (equal R, G, B) and is written back as greyscale; transparency is composited over white. The size is read from the
 * header first, so an image over {@link RgbImage#MAX_PIXELS} is refused before it is decoded. Every
 * error names the file.
 */
public final class ImageFiles {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private ImageFiles() {
    }

    /** Reads an image at its own size (with {@link ImageCodecs}, the SDK's one decoder). */
    public static RgbImage read(Path file) {
        return ImageCodecs.read(file);
    }

    /** Reads an image and fits it to {@code size x size} (see {@link #fit}). */
    public static RgbImage read(Path file, int size) {
        return fit(read(file), size);
    }

    /** Writes a PNG; parent folders are created. */
    public static void writePng(RgbImage image, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, ImageCodecs.encodePng(image));
        } catch (IOException e) {
            throw new InvalidInputException("cannot write image " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes in the format the name's extension asks for: JPEG for .jpg/.jpeg, else PNG. */
    public static void write(RgbImage image, Path file) {
        ImageCodecs.write(image, file);
    }

    /** Whether a file name has an image extension this class reads (.png, .jpg, .jpeg). */
    public static boolean isImageName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /**
     * The image files directly inside a folder, sorted by name.
     *
     * @throws InvalidInputException when the path is not a folder or holds no image files
     */
    public static List<Path> list(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException(folder + " is not a folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(f -> Files.isRegularFile(f) && isImageName(f)).sorted().toList();
        } catch (IOException e) {
            throw new InvalidInputException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new InvalidInputException(folder + " holds no .png, .jpg or .jpeg images");
        }
        return files;
    }

    /**
     * Resizes so the shorter side is {@code size} (area-averaging when shrinking, bilinear when enlarging),
     * then crops the centre {@code size x size}. An image already that size is returned as is.
     */
    public static RgbImage fit(RgbImage image, int size) {
        int w = image.width(), h = image.height();
        if (w == size && h == size) {
            return image;
        }
        double scale = (double) size / Math.min(w, h);
        int nw = Math.max(size, (int) Math.round(w * scale)), nh = Math.max(size, (int) Math.round(h * scale));
        RgbImage resized = image.resized(nw, nh);
        int x0 = (nw - size) / 2, y0 = (nh - size) / 2;
        byte[] src = resized.rgb(), out = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            System.arraycopy(src, 3 * ((y0 + y) * nw + x0), out, 3 * y * size, 3 * size);
        }
        return new RgbImage(size, size, out, image.channels());
    }
}
