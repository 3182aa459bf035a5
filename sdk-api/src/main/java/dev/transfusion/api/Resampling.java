package dev.transfusion.api;


/**
 * Separable image resizing in plain Java, so results are the same on every JVM: along each axis,
 * area averaging when shrinking (every source pixel counts by how much of it the target pixel covers, so
 * thin lines do not vanish) and bilinear interpolation between pixel centres when enlarging.
 */
final class Resampling {
    private Resampling() {
    }

    /** The image resized to {@code width x height}. */
    static RgbImage resize(RgbImage image, int width, int height) {
        int w = image.width(), h = image.height();
        byte[] src = image.rgb();
        float[] in = new float[src.length];                                        // [H, W, 3]
        for (int i = 0; i < src.length; i++) {
            in[i] = src[i] & 0xff;
        }
        float[] rows = resampleAxis(in, h, w, width, true);                       // [H, width, 3]
        float[] out = resampleAxis(rows, h, width, height, false);                // [height, width, 3]
        byte[] rgb = new byte[out.length];
        for (int i = 0; i < out.length; i++) {
            rgb[i] = (byte) Math.round(Math.max(0f, Math.min(255f, out[i])));
        }
        // each channel is resampled alike, so a grey image stays r = g = b
        return new RgbImage(width, height, rgb, image.channels());
    }

    /**
     * Resamples one axis of [h, w, 3]: along x ({@code horizontal}) from w to n columns, else along y from h
     * to n rows.
     */
    private static float[] resampleAxis(float[] in, int h, int w, int n, boolean horizontal) {
        int from = horizontal ? w : h, across = horizontal ? h : w;
        int outW = horizontal ? n : w, outH = horizontal ? h : n;
        float[] out = new float[outH * outW * 3];
        double scale = (double) from / n;
        for (int o = 0; o < n; o++) {
            int[] idx;
            double[] wt;
            if (scale >= 1) {
                // target pixel o covers source [o * scale, (o + 1) * scale)
                double a = o * scale, b = (o + 1) * scale;
                int first = (int) Math.floor(a), last = Math.min(from - 1, (int) Math.ceil(b) - 1);
                idx = new int[last - first + 1];
                wt = new double[idx.length];
                for (int s = first; s <= last; s++) {
                    idx[s - first] = s;
                    wt[s - first] = (Math.min(b, s + 1) - Math.max(a, s)) / scale;
                }
            } else {
                double c = Math.max(0, Math.min(from - 1, (o + 0.5) * scale - 0.5));
                int lo = (int) Math.floor(c), hi = Math.min(from - 1, lo + 1);
                idx = new int[] {lo, hi};
                wt = new double[] {1 - (c - lo), c - lo};
            }
            for (int a = 0; a < across; a++) {
                for (int ch = 0; ch < 3; ch++) {
                    double sum = 0;
                    for (int k = 0; k < idx.length; k++) {
                        int y = horizontal ? a : idx[k], x = horizontal ? idx[k] : a;
                        sum += wt[k] * in[3 * (y * w + x) + ch];
                    }
                    int y = horizontal ? a : o, x = horizontal ? o : a;
                    out[3 * (y * outW + x) + ch] = (float) sum;
                }
            }
        }
        return out;
    }
}
