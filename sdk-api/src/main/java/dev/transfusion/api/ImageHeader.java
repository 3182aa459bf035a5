package dev.transfusion.api;

/**
 * What an image file says about itself before any pixel is decoded: enough to refuse a decompression bomb
 * and to count the positions an image will take.
 *
 * @param format   "png" or "jpeg" (ImageIO's name, lower case)
 * @param width    pixels across
 * @param height   pixels down
 * @param channels colour components with alpha: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA
 * @param bits     bits per component (1, 2, 4, 8 or 16)
 * @param scans    JPEG scans (more than one: progressive); 1 for PNG
 */
public record ImageHeader(String format, int width, int height, int channels, int bits, int scans) {
    /** {@code width * height}, in long arithmetic. */
    public long pixels() {
        return (long) width * height;
    }

    /** Whether the stored image is grey (with or without alpha). */
    public boolean grey() {
        return channels <= 2;
    }
}
