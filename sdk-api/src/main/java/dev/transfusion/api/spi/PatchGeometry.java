package dev.transfusion.api.spi;

import dev.transfusion.api.InvalidInputException;

/**
 * How a latent grid is cut into {@code ph x pw} patches: row-major over the grid, each patch flattened
 * as (channel, row, column), exactly as the reference's {@code patchify} (which has square patches; a
 * rectangle serves grids whose axes differ, such as mel bands x frames).
 *
 * @param patchHeight ph: rows per patch, 1..64
 * @param patchWidth  pw: columns per patch, 1..64
 */
public record PatchGeometry(int patchHeight, int patchWidth) {
    /** The largest side of a patch. */
    public static final int MAX_SIDE = 64;

    public PatchGeometry {
        if (patchHeight < 1 || patchHeight > MAX_SIDE || patchWidth < 1 || patchWidth > MAX_SIDE) {
            throw new InvalidInputException("PatchGeometry sides must be 1.." + MAX_SIDE + ", got " + patchHeight
                    + " x " + patchWidth);
        }
    }

    /** Square {@code p x p} patches. */
    public PatchGeometry(int patchSize) {
        this(patchSize, patchSize);
    }

    /** The side of a square patch. */
    public int patchSize() {
        if (patchHeight != patchWidth) {
            throw new IllegalStateException("patches are " + patchHeight + " x " + patchWidth + ", not square");
        }
        return patchHeight;
    }

    /** Values per patch for C latent channels: C * ph * pw. */
    public int patchDim(int channels) {
        return channels * patchHeight * patchWidth;
    }

    /** Patches of a {@code [C, H, W]} grid: (H/ph)(W/pw); the error names the grid when they do not divide. */
    public int patches(int height, int width) {
        checkDivides(height, width);
        return (height / patchHeight) * (width / patchWidth);
    }

    /** Patches of a latent: {@code [N, C*ph*pw]} with N = (H/ph)(W/pw), flattened row-major. */
    public float[][] patchify(Latent latent) {
        int ph = patchHeight, pw = patchWidth, c = latent.channels(), h = latent.height(), w = latent.width();
        checkDivides(h, w);
        int gw = w / pw;
        float[][] out = new float[(h / ph) * gw][c * ph * pw];
        float[] v = latent.values();
        for (int gy = 0; gy < h / ph; gy++) {
            for (int gx = 0; gx < gw; gx++) {
                float[] patch = out[gy * gw + gx];
                int k = 0;
                for (int ch = 0; ch < c; ch++) {
                    for (int py = 0; py < ph; py++) {
                        for (int px = 0; px < pw; px++) {
                            patch[k++] = v[(ch * h + gy * ph + py) * w + gx * pw + px];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The inverse of {@link #patchify}: patches back to a {@code [C, H, W]} latent. */
    public Latent unpatchify(float[][] patches, int channels, int height, int width) {
        int ph = patchHeight, pw = patchWidth, gw = width / pw;
        if (height % ph != 0 || width % pw != 0 || patches.length != (height / ph) * gw) {
            throw new InvalidInputException("cannot unpatchify " + patches.length + " patches into "
                    + channels + "x" + height + "x" + width + " with " + ph + "x" + pw + " patches");
        }
        float[] v = new float[channels * height * width];
        for (int i = 0; i < patches.length; i++) {
            if (patches[i].length != channels * ph * pw) {
                throw new InvalidInputException("patch " + i + " has " + patches[i].length + " values, expected "
                        + (channels * ph * pw));
            }
            int gy = i / gw, gx = i % gw, k = 0;
            for (int ch = 0; ch < channels; ch++) {
                for (int py = 0; py < ph; py++) {
                    for (int px = 0; px < pw; px++) {
                        v[(ch * height + gy * ph + py) * width + gx * pw + px] = patches[i][k++];
                    }
                }
            }
        }
        return new Latent(channels, height, width, v);
    }

    private void checkDivides(int h, int w) {
        if (h % patchHeight != 0 || w % patchWidth != 0) {
            throw new InvalidInputException("latent " + h + "x" + w + " is not divisible into " + patchHeight + "x"
                    + patchWidth + " patches");
        }
    }
}
