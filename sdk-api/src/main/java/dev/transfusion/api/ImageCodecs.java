package dev.transfusion.api;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.stream.ImageInputStream;
import org.jspecify.annotations.Nullable;

/**
 * The one image decoder and encoder of the SDK, used by the command line, the data sources, the image plugin
 * and the server alike, so that a file gives the same pixels everywhere. PNG or JPEG in (anything ImageIO
 * reads), PNG or JPEG out. Greyscale (1 to 16 bits, or a palette of greys) is read as stored grey levels into a
 * one-channel {@link RgbImage} (R = G = B), and a one-channel image is written as a greyscale PNG or JPEG;
 * 16-bit components are scaled to 8; transparency is composited over white. The header is read first, so an
 * image over the pixel limit, or a JPEG with more scans than any encoder writes, is refused before a pixel is
 * decoded. Only the JDK is used: code compiled against sdk-api alone can read and write images.
 */
public final class ImageCodecs {
    /** Most scans a JPEG may have: encoders write about 10; each is a full pass, so a thousand empty ones over
     * a large image cost minutes of decoding (a "JPEG bomb"). */
    public static final int MAX_JPEG_SCANS = 32;
    /** Largest image file read, in bytes. */
    public static final long MAX_FILE_BYTES = 512L * 1024 * 1024;

    static {
        ImageIO.setUseCache(false);   // decode in memory: no temporary files per image
    }

    private ImageCodecs() {
    }

    /**
     * Reads an image file at its own size.
     *
     * @throws InvalidInputException naming the file: missing, empty, too big, not an image, or corrupt
     */
    public static RgbImage read(Path file) {
        String what = "image " + file;
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException(what + " does not exist or is not a file");
            }
            long size = Files.size(file);
            if (size == 0) {
                throw new InvalidInputException(what + " is empty");
            }
            if (size > MAX_FILE_BYTES) {
                throw new InvalidInputException(what + " has " + size + " bytes, more than the " + MAX_FILE_BYTES
                        + " an image file may have");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + what + ": " + e.getMessage(), e);
        }
        return decode(bytes, what, RgbImage.MAX_PIXELS, null);
    }

    /** Decodes PNG or JPEG bytes; {@code what} names them in errors. */
    public static RgbImage decode(byte[] bytes, String what) {
        return decode(bytes, what, RgbImage.MAX_PIXELS, null);
    }

    /**
     * Decodes PNG or JPEG bytes.
     *
     * @param what      names the bytes in errors ({@code "image /data/a.png"}, {@code "prompt[1].image"})
     * @param maxPixels the most pixels accepted, checked from the header before decoding
     * @param cancel    when set, decoding stops at the next row or pass (a deadline, a client gone)
     * @throws InvalidInputException naming {@code what}: not an image, too many pixels or scans, or corrupt
     * @throws CancellationException when {@code cancel} was set before the image was complete
     */
    public static RgbImage decode(byte[] bytes, String what, long maxPixels, @Nullable Cancellation cancel) {
        return withReader(bytes, what, reader -> {
            header(reader, bytes, what, maxPixels);
            if (cancel != null) {
                reader.addIIOReadProgressListener(new Abort(cancel));
            }
            BufferedImage image = reader.read(0);
            if (cancel != null && cancel.isCancelled()) {
                throw new CancellationException("decoding " + what + " was cancelled");
            }
            return toRgb(image);
        });
    }

    /**
     * The header of PNG or JPEG bytes, no pixel decoded.
     *
     * @throws InvalidInputException naming {@code what} when the bytes are no image this class reads
     */
    public static ImageHeader header(byte[] bytes, String what) {
        return withReader(bytes, what, reader -> header(reader, bytes, what, RgbImage.MAX_PIXELS));
    }

    /** The format of {@code bytes} ("png", "jpeg", ...) from their signature, or null when ImageIO reads none. */
    public static @Nullable String format(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return null;
            }
            String name = readers.next().getFormatName().toLowerCase(Locale.ROOT);
            return name.equals("jpg") ? "jpeg" : name;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code image} as PNG bytes. */
    public static byte[] encodePng(RgbImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(toBuffered(image), "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes {@code image} in the format the name's extension asks for: JPEG for .jpg/.jpeg, else PNG. Parent
     * folders are created.
     *
     * @throws InvalidInputException naming the file when it cannot be written
     */
    public static void write(RgbImage image, Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String format = name.endsWith(".jpg") || name.endsWith(".jpeg") ? "jpeg" : "png";
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(toBuffered(image), format, file.toFile())) {
                throw new IOException("no " + format + " writer");
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot write image " + file + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface ReaderWork<T> {
        T run(ImageReader reader) throws IOException;
    }

    private static <T> T withReader(byte[] bytes, String what, ReaderWork<T> work) {
        if (bytes.length == 0) {
            throw new InvalidInputException(what + " is empty");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new InvalidInputException(what + " (" + bytes.length
                        + " bytes) is not in an image format ImageIO reads (PNG, JPEG, ...)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return work.run(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException || e instanceof CancellationException) {
                throw (RuntimeException) e;
            }
            throw new InvalidInputException(what + " cannot be decoded: " + reason(e), e);
        }
    }

    private static ImageHeader header(ImageReader reader, byte[] bytes, String what, long maxPixels)
            throws IOException {
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        int width = reader.getWidth(0), height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
            throw new InvalidInputException(what + " is " + width + "x" + height + " pixels: not an image");
        }
        long limit = Math.min(maxPixels, RgbImage.MAX_PIXELS);
        if ((long) width * height > limit) {
            throw new InvalidInputException(what + " is " + width + "x" + height + " pixels, over the limit of "
                    + limit);
        }
        int scans = format.equals("jpeg") || format.equals("jpg") ? JpegScans.count(bytes, MAX_JPEG_SCANS + 1) : 1;
        if (scans > MAX_JPEG_SCANS) {
            throw new InvalidInputException(what + " is a JPEG of more than " + MAX_JPEG_SCANS
                    + " scans; encoders write about 10, so this one would only cost decoding time");
        }
        int channels = 3, bits = 8;
        ImageTypeSpecifier type;
        try {
            type = reader.getRawImageType(0);   // reads past the size: a broken file fails here or in decoding
        } catch (IOException e) {
            type = null;
        }
        if (type != null) {
            ColorModel cm = type.getColorModel();
            if (cm instanceof IndexColorModel palette) {   // low-bit grey PNGs come as a grey palette too
                boolean grey = true;
                for (int i = 0; i < palette.getMapSize(); i++) {
                    grey &= palette.getRed(i) == palette.getGreen(i) && palette.getGreen(i) == palette.getBlue(i);
                }
                channels = (grey ? 1 : 3) + (cm.hasAlpha() ? 1 : 0);
                bits = palette.getPixelSize();
            } else {
                channels = cm.getNumComponents();
                bits = cm.getComponentSize(0);
            }
        }
        return new ImageHeader(format.equals("jpg") ? "jpeg" : format, width, height, channels, bits, scans);
    }

    /** Pixels as RGB bytes: stored grey levels copied to R, G, B (one channel); alpha composited over white. */
    private static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        ColorModel cm = img.getColorModel();
        boolean alpha = cm.hasAlpha();
        byte[] rgb = new byte[w * h * 3];   // [H, W, 3]
        boolean grey = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1;
        if (grey) {
            // the stored levels: getRGB would treat them as linear light and brighten them
            Raster r = img.getRaster();
            float greyMax = (1 << cm.getComponentSize(0)) - 1;
            float alphaMax = alpha ? (1 << cm.getComponentSize(1)) - 1 : 1;
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
            for (int y = 0; y < h; y++) {   // a row at a time: no second full-size int[] copy of a large image
                int[] argb = img.getRGB(0, y, w, 1, null, 0, w);
                for (int x = 0; x < w; x++) {
                    int a = alpha ? argb[x] >>> 24 : 255, i = 3 * (y * w + x);
                    rgb[i] = (byte) overWhite((argb[x] >> 16) & 0xff, a);
                    rgb[i + 1] = (byte) overWhite((argb[x] >> 8) & 0xff, a);
                    rgb[i + 2] = (byte) overWhite(argb[x] & 0xff, a);
                }
            }
        }
        return new RgbImage(w, h, rgb, grey || greyPalette(cm) ? 1 : 3);
    }

    /** Whether {@code cm} is a palette of greys only (how PNG stores 1, 2 and 4-bit grey images, too). */
    private static boolean greyPalette(ColorModel cm) {
        if (!(cm instanceof IndexColorModel palette)) {
            return false;
        }
        for (int i = 0; i < palette.getMapSize(); i++) {
            if (palette.getRed(i) != palette.getGreen(i) || palette.getGreen(i) != palette.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    private static int overWhite(int c, int a) {
        return a == 255 ? c : (c * a + 255 * (255 - a) + 127) / 255;
    }

    private static BufferedImage toBuffered(RgbImage image) {
        if (image.isGrey()) {
            // the levels as stored samples: setRGB would convert them through linear light and darken them
            BufferedImage grey = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
            grey.getRaster().setDataElements(0, 0, image.width(), image.height(), image.greyLevels());
            return grey;
        }
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, image.width(), image.height(), image.toPackedRgb(), 0, image.width());
        return img;
    }

    /**
     * The message and, when there is one, the innermost cause's: ImageIO wraps what is wrong ("Image width ==
     * 0!") in a generic one ("I/O error reading PNG header!").
     */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(e.getMessage());
        return root == e || root.getMessage() == null || message.contains(root.getMessage()) ? message
                : message + " (" + root.getMessage() + ")";
    }

    /** Aborts the read at its next progress report once the cancellation is set. */
    private record Abort(Cancellation cancel) implements IIOReadProgressListener {
        @Override
        public void imageProgress(ImageReader source, float percentageDone) {
            if (cancel.isCancelled()) {
                source.abort();
            }
        }

        @Override
        public void sequenceStarted(ImageReader source, int minIndex) {
        }

        @Override
        public void sequenceComplete(ImageReader source) {
        }

        @Override
        public void imageStarted(ImageReader source, int imageIndex) {
            imageProgress(source, 0);
        }

        @Override
        public void imageComplete(ImageReader source) {
        }

        @Override
        public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
        }

        @Override
        public void thumbnailProgress(ImageReader source, float percentageDone) {
        }

        @Override
        public void thumbnailComplete(ImageReader source) {
        }

        @Override
        public void readAborted(ImageReader source) {
        }
    }
}
