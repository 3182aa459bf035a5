package dev.transfusion.api.spi;

import dev.transfusion.api.InvalidInputException;
import java.util.Arrays;

/**
 * A latent grid {@code [channels, height, width]}, row-major.
 *
 * @param channels C
 * @param height   H
 * @param width    W
 * @param values   C * H * W values
 */
public record Latent(int channels, int height, int width, float[] values) {

    public Latent {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new InvalidInputException("Latent shape must be positive, got [" + channels + ", " + height + ", " + width + "]");
        }
        if (values.length != channels * height * width) {
            throw new InvalidInputException("Latent [" + channels + ", " + height + ", " + width + "] needs "
                    + (channels * height * width) + " values, got " + values.length);
        }
        values = values.clone();
    }

    /** The values, a copy. */
    @Override
    public float[] values() {
        return values.clone();
    }

    /** The value at channel c, row y, column x. */
    public float get(int c, int y, int x) {
        return values[(c * height + y) * width + x];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Latent l && l.channels == channels && l.height == height && l.width == width
                && Arrays.equals(l.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values) * 31 + channels * 961 + height * 31 + width;
    }

    @Override
    public String toString() {
        return "Latent[" + channels + ", " + height + ", " + width + "]";
    }
}
