package dev.transfusion.plugins.image;

import dev.transfusion.api.RgbImage;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Pixels between {@link RgbImage} bytes and float tensors in [-1, 1], channels first. */
final class ImageTensors {
    private ImageTensors() {
    }

    /** One image as [3, H, W] floats, v / 127.5 - 1. */
    static float[] toChw(RgbImage image) {
        int w = image.width(), h = image.height(), plane = w * h;
        byte[] rgb = image.rgb();                                               // [H, W, 3]
        float[] out = new float[3 * plane];                                     // [3, H, W]
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                out[c * plane + i] = (rgb[3 * i + c] & 0xff) / 127.5f - 1f;
            }
        }
        return out;
    }

    /** Floats [3, H, W] about [-1, 1] back to an image: clamped, rounded to the nearest level. */
    static RgbImage fromChw(float[] chw, int offset, int width, int height) {
        int plane = width * height;
        byte[] rgb = new byte[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                float v = (chw[offset + c * plane + i] + 1f) * 127.5f;
                rgb[3 * i + c] = (byte) Math.round(Math.max(0f, Math.min(255f, v)));
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** A batch [N, 3, S, S]; every image must be S x S. */
    static INDArray batch(List<RgbImage> images, int size) {
        int per = 3 * size * size;
        float[] all = new float[images.size() * per];
        for (int n = 0; n < images.size(); n++) {
            RgbImage img = images.get(n);
            if (img.width() != size || img.height() != size) {
                throw new IllegalArgumentException("image " + n + " is " + img.width() + "x" + img.height()
                        + ", expected " + size + "x" + size);
            }
            System.arraycopy(toChw(img), 0, all, n * per, per);
        }
        return Nd4j.create(all, new long[] {images.size(), 3, size, size}, 'c').castTo(DataType.FLOAT);
    }

    /** The images of a batch [N, 3, S, S]. */
    static List<RgbImage> images(INDArray batch) {
        long[] s = batch.shape();
        int n = (int) s[0], h = (int) s[2], w = (int) s[3], per = 3 * h * w;
        float[] all = batch.dup('c').data().asFloat();
        RgbImage[] out = new RgbImage[n];
        for (int i = 0; i < n; i++) {
            out[i] = fromChw(all, i * per, w, h);
        }
        return List.of(out);
    }
}
