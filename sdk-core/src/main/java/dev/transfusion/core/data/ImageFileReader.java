package dev.transfusion.core.data;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads image files named by data-set listings: resolves a listed name safely inside the listing's
 * folder, and decodes PNG or JPEG (any format ImageIO reads) to an {@link RgbImage}. Greyscale becomes
 * equal R, G and B; transparency is composited over white. The size is read from the file's header
 * first, so an image over {@link RgbImage#MAX_PIXELS} is refused before it is decoded.
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
     * Decodes an image file.
     *
     * @param where the listing and line, for messages (may be empty)
     * @throws InvalidInputException naming the file when it cannot be read, is not an image, or is too large
     */
    public static RgbImage read(Path file, String where) {
        String what = (where.isEmpty() ? "" : where + ": ") + "image " + file;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new InvalidInputException(what + " cannot be opened");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidInputException(what + " is not in an image format ImageIO reads (PNG, JPEG, ...)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0), h = reader.getHeight(0);
                if (w * h > RgbImage.MAX_PIXELS) {
                    throw new InvalidInputException(what + " is " + w + "x" + h + ", over the limit of "
                            + RgbImage.MAX_PIXELS + " pixels");
                }
                return toRgb(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException iie) {
                throw iie;
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();   // ImageIO wraps what is wrong ("Image width == 0!") in a generic message
            }
            throw new InvalidInputException(what + " cannot be decoded: " + e
                    + (root == e || root.getMessage() == null ? "" : " (" + root.getMessage() + ")"), e);
        }
    }

    /** Pixels as RGB bytes: grey copied to R, G, B; alpha composited over white. */
    static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        ColorModel cm = img.getColorModel();
        boolean alpha = cm.hasAlpha();
        byte[] rgb = new byte[w * h * 3];   // [H, W, 3]
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
            // read the stored grey levels: getRGB would treat them as linear light and brighten them
            Raster r = img.getRaster();
            int greyMax = (1 << cm.getComponentSize(0)) - 1;
            int alphaMax = alpha ? (1 << cm.getComponentSize(1)) - 1 : 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int g = Math.round(r.getSample(x, y, 0) * 255f / greyMax);
                    int a = alpha ? Math.round(r.getSample(x, y, 1) * 255f / alphaMax) : 255;
                    byte v = (byte) overWhite(g, a);
                    int i = 3 * (y * w + x);
                    rgb[i] = v;
                    rgb[i + 1] = v;
                    rgb[i + 2] = v;
                }
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int k = 0; k < argb.length; k++) {
                int a = alpha ? argb[k] >>> 24 : 255;
                rgb[3 * k] = (byte) overWhite((argb[k] >> 16) & 0xff, a);
                rgb[3 * k + 1] = (byte) overWhite((argb[k] >> 8) & 0xff, a);
                rgb[3 * k + 2] = (byte) overWhite(argb[k] & 0xff, a);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static int overWhite(int c, int a) {
        return a == 255 ? c : (c * a + 255 * (255 - a) + 127) / 255;
    }
}
