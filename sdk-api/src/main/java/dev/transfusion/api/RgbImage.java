package dev.transfusion.api;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * An 8-bit image, independent of AWT, stored row-major as {@code r, g, b} bytes: colour (3 channels) or grey
 * (1 channel, every pixel r = g = b). The channel count says what the image is, so that grey data stays grey
 * through codecs, PNG files ({@link ImageCodecs} writes a one-channel image as a greyscale PNG) and the server;
 * every pixel accessor reads a grey image as RGB, so code that knows only colour reads it unchanged.
 * Immutable: the constructor and {@link #rgb()} copy.
 *
 * @param width    pixels across, positive
 * @param height   pixels down, positive
 * @param rgb      {@code width * height * 3} bytes
 * @param channels 3 for colour, 1 for grey (then r = g = b in every pixel)
 */
public record RgbImage(int width, int height, byte[] rgb, int channels) {
    /** The largest image accepted, in pixels: a guard against decompression bombs. */
    public static final long MAX_PIXELS = 64L * 1024 * 1024;

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new InvalidInputException("RgbImage size must be positive, got " + width + "x" + height);
        }
        if ((long) width * height > MAX_PIXELS) {
            throw new InvalidInputException("RgbImage of " + width + "x" + height + " exceeds the limit of "
                    + MAX_PIXELS + " pixels");
        }
        if (rgb.length != width * height * 3) {
            throw new InvalidInputException("RgbImage of " + width + "x" + height + " needs "
                    + (width * height * 3) + " bytes, got " + rgb.length);
        }
        if (channels != 1 && channels != 3) {
            throw new InvalidInputException("RgbImage channels must be 1 (grey) or 3 (RGB), got " + channels);
        }
        if (channels == 1) {
            for (int i = 0; i < rgb.length; i += 3) {
                if (rgb[i] != rgb[i + 1] || rgb[i] != rgb[i + 2]) {
                    throw new InvalidInputException("a grey RgbImage needs r = g = b in every pixel; pixel ("
                            + (i / 3 % width) + ", " + (i / 3 / width) + ") is not grey");
                }
            }
        }
        rgb = rgb.clone();
    }

    /** A colour (3-channel) image of {@code width * height * 3} bytes {@code r, g, b}. */
    public RgbImage(int width, int height, byte[] rgb) {
        this(width, height, rgb, 3);
    }

    /** A grey (1-channel) image from {@code width * height} levels, row-major. */
    public static RgbImage grey(int width, int height, byte[] levels) {
        if ((long) width * height != levels.length) {
            throw new InvalidInputException("RgbImage.grey: " + width + "x" + height + " needs " + ((long) width * height)
                    + " levels, got " + levels.length);
        }
        byte[] rgb = new byte[levels.length * 3];
        for (int i = 0; i < levels.length; i++) {
            rgb[3 * i] = levels[i];
            rgb[3 * i + 1] = levels[i];
            rgb[3 * i + 2] = levels[i];
        }
        return new RgbImage(width, height, rgb, 1);
    }

    /** A black image. */
    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new byte[width * height * 3]);
    }

    /** An image from packed {@code 0xRRGGBB} ints, row-major (alpha, if any, is ignored). */
    public static RgbImage fromPackedRgb(int width, int height, int[] pixels) {
        if (pixels.length != width * height) {
            throw new InvalidInputException("RgbImage.fromPackedRgb: " + width + "x" + height + " needs "
                    + (width * height) + " pixels, got " + pixels.length);
        }
        byte[] b = new byte[pixels.length * 3];
        for (int i = 0; i < pixels.length; i++) {
            b[3 * i] = (byte) (pixels[i] >> 16);
            b[3 * i + 1] = (byte) (pixels[i] >> 8);
            b[3 * i + 2] = (byte) pixels[i];
        }
        return new RgbImage(width, height, b);
    }

    /**
     * Reads a PNG or JPEG file (see {@link ImageCodecs}: greyscale as stored, alpha over white, the pixel limit
     * checked from the header).
     *
     * @throws InvalidInputException naming the file
     */
    public static RgbImage read(Path file) {
        return ImageCodecs.read(file);
    }

    /**
     * Decodes PNG or JPEG bytes; {@code what} names them in errors.
     *
     * @throws InvalidInputException naming {@code what}
     */
    public static RgbImage decode(byte[] bytes, String what) {
        return ImageCodecs.decode(bytes, what);
    }

    /** Writes this image as PNG, or JPEG when the name ends in .jpg or .jpeg; parent folders are created. */
    public void write(Path file) {
        ImageCodecs.write(this, file);
    }

    /** This image as PNG bytes. */
    public byte[] encodePng() {
        return ImageCodecs.encodePng(this);
    }

    /** The bytes, a copy. */
    @Override
    public byte[] rgb() {
        return rgb.clone();
    }

    /** Whether this is a one-channel image. */
    public boolean isGrey() {
        return channels == 1;
    }

    /**
     * The grey levels, {@code width * height} bytes: a grey image's own, a colour image's luma (ITU-R BT.601:
     * 0.299 R + 0.587 G + 0.114 B, rounded), the weights JPEG and ImageIO use.
     */
    public byte[] greyLevels() {
        byte[] out = new byte[width * height];
        for (int i = 0; i < out.length; i++) {
            out[i] = channels == 1 ? rgb[3 * i] : (byte) Math.round(0.299 * (rgb[3 * i] & 0xff)
                    + 0.587 * (rgb[3 * i + 1] & 0xff) + 0.114 * (rgb[3 * i + 2] & 0xff));
        }
        return out;
    }

    /** This image as one channel: itself when grey, else its {@link #greyLevels() luma}. */
    public RgbImage toGrey() {
        return channels == 1 ? this : grey(width, height, greyLevels());
    }

    /** This image as three channels (the same pixels): itself when colour. */
    public RgbImage toColour() {
        return channels == 3 ? this : new RgbImage(width, height, rgb, 3);
    }

    /** This image with {@code channels} channels (1 or 3): {@link #toGrey} or {@link #toColour}. */
    public RgbImage withChannels(int channels) {
        return switch (channels) {
            case 1 -> toGrey();
            case 3 -> toColour();
            default -> throw new InvalidInputException("image channels must be 1 (grey) or 3 (RGB), got " + channels);
        };
    }

    /**
     * This image resized to {@code width x height}: area averaging when shrinking (thin lines keep their ink),
     * bilinear between pixel centres when enlarging; the same bytes on every JVM, and a grey image stays grey.
     */
    public RgbImage resized(int width, int height) {
        if (width < 1 || height < 1) {
            throw new InvalidInputException("an image resizes to at least 1 x 1, got " + width + " x " + height);
        }
        return width == this.width && height == this.height ? this : Resampling.resize(this, width, height);
    }

    /** The pixel at column {@code x}, row {@code y}, as {@code 0xRRGGBB}. */
    public int pixel(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") outside " + width + "x" + height);
        }
        int i = 3 * (y * width + x);
        return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
    }

    /** Channel {@code c} (0 red, 1 green, 2 blue) of a pixel, 0..255. */
    public int channel(int x, int y, int c) {
        return (pixel(x, y) >> (16 - 8 * c)) & 0xff;
    }

    /** All pixels as packed {@code 0xRRGGBB} ints, row-major. */
    public int[] toPackedRgb() {
        int[] out = new int[width * height];
        for (int i = 0; i < out.length; i++) {
            out[i] = (rgb[3 * i] & 0xff) << 16 | (rgb[3 * i + 1] & 0xff) << 8 | (rgb[3 * i + 2] & 0xff);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage r && r.width == width && r.height == height && r.channels == channels
                && Arrays.equals(r.rgb, rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * width + height) + channels) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + (channels == 1 ? " grey]" : "]");
    }
}
