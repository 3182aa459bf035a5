package dev.transfusion.plugins.image;

import dev.transfusion.api.RgbImage;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Pixels between {@link RgbImage} bytes and float tensors in [-1, 1], channels first: 3 channels (RGB), or 1 (grey:
 * an image's {@link RgbImage#greyLevels() levels}, decoded to a grey image).
 */
final class ImageTensors {
    private ImageTensors() {
    }

    /** One image as [3, H, W] floats, v / 127.5 - 1. */
    static float[] toChw(RgbImage image) {
        return toChw(image, 3);
    }

    /** One image as [channels, H, W] floats, v / 127.5 - 1: RGB, or one plane of grey levels. */
    static float[] toChw(RgbImage image, int channels) {
        int w = image.width(), h = image.height(), plane = w * h;
        byte[] px = channels == 1 ? image.greyLevels() : image.rgb();           // [H, W] or [H, W, 3]
        float[] out = new float[channels * plane];                              // [channels, H, W]
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < channels; c++) {
                out[c * plane + i] = (px[channels * i + c] & 0xff) / 127.5f - 1f;
            }
        }
        return out;
    }

    /** Floats [3, H, W] about [-1, 1] back to an image: clamped, rounded to the nearest level. */
    static RgbImage fromChw(float[] chw, int offset, int width, int height) {
        return fromChw(chw, offset, width, height, 3);
    }

    /** Floats [channels, H, W] back to an image (grey when one channel): clamped, rounded to the nearest level. */
    static RgbImage fromChw(float[] chw, int offset, int width, int height, int channels) {
        int plane = width * height;
        byte[] px = new byte[channels * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < channels; c++) {
                float v = (chw[offset + c * plane + i] + 1f) * 127.5f;
                px[channels * i + c] = (byte) Math.round(Math.max(0f, Math.min(255f, v)));
            }
        }
        return channels == 1 ? RgbImage.grey(width, height, px) : new RgbImage(width, height, px);
    }

    /** A batch [N, 3, S, S]; every image must be S x S. */
    static INDArray batch(List<RgbImage> images, int size) {
        return batch(images, size, 3);
    }

    /** A batch [N, channels, S, S]; every image must be S x S. */
    static INDArray batch(List<RgbImage> images, int size, int channels) {
        int per = channels * size * size;
        float[] all = new float[images.size() * per];
        for (int n = 0; n < images.size(); n++) {
            RgbImage img = images.get(n);
            if (img.width() != size || img.height() != size) {
                throw new IllegalArgumentException("image " + n + " is " + img.width() + "x" + img.height()
                        + ", expected " + size + "x" + size);
            }
            System.arraycopy(toChw(img, channels), 0, all, n * per, per);
        }
        return Nd4j.create(all, new long[] {images.size(), channels, size, size}, 'c').castTo(DataType.FLOAT);
    }

    /** The images of a batch [N, C, S, S], C = 3 (RGB) or 1 (grey). */
    static List<RgbImage> images(INDArray batch) {
        long[] s = batch.shape();
        int n = (int) s[0], c = (int) s[1], h = (int) s[2], w = (int) s[3], per = c * h * w;
        float[] all = batch.dup('c').data().asFloat();
        RgbImage[] out = new RgbImage[n];
        for (int i = 0; i < n; i++) {
            out[i] = fromChw(all, i * per, w, h, c);
        }
        return List.of(out);
    }
}
