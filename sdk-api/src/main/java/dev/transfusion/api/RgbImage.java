package dev.transfusion.api;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * An 8-bit RGB image, independent of AWT, stored row-major as {@code r, g, b} bytes.
 * Immutable: the constructor and {@link #rgb()} copy.
 *
 * @param width  pixels across, positive
 * @param height pixels down, positive
 * @param rgb    {@code width * height * 3} bytes
 */
public record RgbImage(int width, int height, byte[] rgb) {
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
        rgb = rgb.clone();
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
        return o instanceof RgbImage r && r.width == width && r.height == height && Arrays.equals(r.rgb, rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
