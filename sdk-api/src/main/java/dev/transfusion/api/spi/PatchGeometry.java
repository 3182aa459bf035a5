package dev.transfusion.api.spi;

import dev.transfusion.api.InvalidInputException;

/**
 * How a latent grid is cut into {@code p x p} patches: row-major over the grid, each patch flattened
 * as (channel, row, column), exactly as the reference's {@code patchify}.
 *
 * @param patchSize p: 1, 2, 4 or 8
 */
public record PatchGeometry(int patchSize) {

    public PatchGeometry {
        if (patchSize != 1 && patchSize != 2 && patchSize != 4 && patchSize != 8) {
            throw new InvalidInputException("PatchGeometry.patchSize must be 1, 2, 4 or 8, got " + patchSize);
        }
    }

    /** Values per patch for C latent channels: C * p * p. */
    public int patchDim(int channels) {
        return channels * patchSize * patchSize;
    }

    /** Patches of a latent: {@code [N, C*p*p]} with N = (H/p)(W/p), flattened row-major. */
    public float[][] patchify(Latent latent) {
        int p = patchSize, c = latent.channels(), h = latent.height(), w = latent.width();
        if (h % p != 0 || w % p != 0) {
            throw new InvalidInputException("latent " + h + "x" + w + " is not divisible by patch size " + p);
        }
        int gw = w / p;
        float[][] out = new float[(h / p) * gw][c * p * p];
        float[] v = latent.values();
        for (int gy = 0; gy < h / p; gy++) {
            for (int gx = 0; gx < gw; gx++) {
                float[] patch = out[gy * gw + gx];
                int k = 0;
                for (int ch = 0; ch < c; ch++) {
                    for (int py = 0; py < p; py++) {
                        for (int px = 0; px < p; px++) {
                            patch[k++] = v[(ch * h + gy * p + py) * w + gx * p + px];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The inverse of {@link #patchify}: patches back to a {@code [C, H, W]} latent. */
    public Latent unpatchify(float[][] patches, int channels, int height, int width) {
        int p = patchSize, gw = width / p;
        if (height % p != 0 || width % p != 0 || patches.length != (height / p) * gw) {
            throw new InvalidInputException("cannot unpatchify " + patches.length + " patches into "
                    + channels + "x" + height + "x" + width + " with patch size " + p);
        }
        float[] v = new float[channels * height * width];
        for (int i = 0; i < patches.length; i++) {
            if (patches[i].length != channels * p * p) {
                throw new InvalidInputException("patch " + i + " has " + patches[i].length + " values, expected "
                        + (channels * p * p));
            }
            int gy = i / gw, gx = i % gw, k = 0;
            for (int ch = 0; ch < channels; ch++) {
                for (int py = 0; py < p; py++) {
                    for (int px = 0; px < p; px++) {
                        v[(ch * height + gy * p + py) * width + gx * p + px] = patches[i][k++];
                    }
                }
            }
        }
        return new Latent(channels, height, width, v);
    }
}
