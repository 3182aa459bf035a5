package dev.transfusion.plugins.image;

import dev.transfusion.api.RgbImage;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-pixel weights of the reconstruction loss: {@code 1 + edgeWeight * edge}, where edge (0..1) is the
 * largest channel difference between a pixel and its four neighbours, over 255. Flat areas weigh 1 and
 * outlines up to {@code 1 + edgeWeight}. Why: in images with small objects on a plain background almost
 * every pixel is background, and a plain mean lets the decoder round off small shapes' corners for a tiny
 * loss; the calibration's failures (small squares and triangles read as circles) were exactly that.
 */
final class EdgeWeights {
    private EdgeWeights() {
    }

    /** Weights [N, 1, S, S] of a batch. */
    static INDArray of(List<RgbImage> images, double edgeWeight) {
        int n = images.size(), w = images.get(0).width(), h = images.get(0).height(), plane = w * h;
        float[] out = new float[n * plane];
        for (int k = 0; k < n; k++) {
            int[] px = images.get(k).toPackedRgb();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = px[y * w + x], edge = 0;
                    if (x > 0) {
                        edge = Math.max(edge, difference(p, px[y * w + x - 1]));
                    }
                    if (x < w - 1) {
                        edge = Math.max(edge, difference(p, px[y * w + x + 1]));
                    }
                    if (y > 0) {
                        edge = Math.max(edge, difference(p, px[(y - 1) * w + x]));
                    }
                    if (y < h - 1) {
                        edge = Math.max(edge, difference(p, px[(y + 1) * w + x]));
                    }
                    out[k * plane + y * w + x] = (float) (1 + edgeWeight * edge / 255.0);
                }
            }
        }
        return Nd4j.create(out, new long[] {n, 1, h, w}, 'c');
    }

    /** The largest channel difference of two packed RGB pixels, 0..255. */
    private static int difference(int a, int b) {
        int d = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            d = Math.max(d, Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)));
        }
        return d;
    }
}
