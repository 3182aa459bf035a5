package dev.transfusion.plugins.audio;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.spi.Latent;

/**
 * How a latent grid is cut into {@code ph x pw} patches: row-major over the grid, each patch flattened as
 * (channel, row, column), the reference's {@code patchify} order with a rectangle for a square. The SPI's
 * {@link dev.transfusion.api.spi.PatchGeometry} is square-only; this is the audio codec's own until the SPI
 * takes rectangles (a mel row and a time column are different things, so 4 mels x 8 frames).
 *
 * @param height ph, rows (mel bands) per patch
 * @param width  pw, columns (frames) per patch
 */
public record RectangularPatch(int height, int width) {

    public RectangularPatch {
        if (height < 1 || width < 1) {
            throw new InvalidInputException("patch must be at least 1 x 1, got " + height + " x " + width);
        }
    }

    /** Values per patch for C channels: C * ph * pw. */
    public int patchDim(int channels) {
        return channels * height * width;
    }

    /** Patches of a latent: {@code [C, H, W] -> [(H/ph)(W/pw), C*ph*pw]}. */
    public float[][] patchify(Latent latent) {
        int c = latent.channels(), h = latent.height(), w = latent.width();
        checkDivides(h, w);
        int rows = h / height, cols = w / width;
        float[][] out = new float[rows * cols][c * height * width];
        float[] v = latent.values();
        for (int gy = 0; gy < rows; gy++) {
            for (int gx = 0; gx < cols; gx++) {
                float[] patch = out[gy * cols + gx];
                int k = 0;
                for (int ch = 0; ch < c; ch++) {
                    for (int py = 0; py < height; py++) {
                        for (int px = 0; px < width; px++) {
                            patch[k++] = v[(ch * h + gy * height + py) * w + gx * width + px];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The inverse of {@link #patchify}. */
    public Latent unpatchify(float[][] patches, int channels, int h, int w) {
        checkDivides(h, w);
        int cols = w / width;
        if (patches.length != (h / height) * cols) {
            throw new InvalidInputException("cannot unpatchify " + patches.length + " patches into " + channels + "x"
                    + h + "x" + w + " with " + height + "x" + width + " patches");
        }
        float[] v = new float[channels * h * w];
        for (int i = 0; i < patches.length; i++) {
            if (patches[i].length != patchDim(channels)) {
                throw new InvalidInputException("patch " + i + " has " + patches[i].length + " values, expected "
                        + patchDim(channels));
            }
            int gy = i / cols, gx = i % cols, k = 0;
            for (int ch = 0; ch < channels; ch++) {
                for (int py = 0; py < height; py++) {
                    for (int px = 0; px < width; px++) {
                        v[(ch * h + gy * height + py) * w + gx * width + px] = patches[i][k++];
                    }
                }
            }
        }
        return new Latent(channels, h, w, v);
    }

    private void checkDivides(int h, int w) {
        if (h % height != 0 || w % width != 0) {
            throw new InvalidInputException("latent " + h + "x" + w + " is not divisible by the " + height + "x" + width + " patch");
        }
    }
}
