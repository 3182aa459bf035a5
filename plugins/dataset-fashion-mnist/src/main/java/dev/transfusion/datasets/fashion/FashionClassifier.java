package dev.transfusion.datasets.fashion;

import dev.transfusion.api.RgbImage;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The trained judge: the class of an image and its 128 penultimate features (for the Frechet distance), batched.
 * Images are read as grey (the mean of the three channels) and must be 28 x 28.
 */
public final class FashionClassifier {
    private static final int BATCH = 256;

    private final SameDiff sd;
    private final Map<String, float[]> weights;

    /** A classifier with these weights ({@link ClassifierNetwork#parameterShapes}). */
    public FashionClassifier(Map<String, float[]> weights) {
        this.weights = Map.copyOf(weights);
        this.sd = SameDiff.create();
        ClassifierNetwork.declare(sd, weights);
        SDVariable pixels = sd.placeHolder("pixels", DataType.FLOAT, -1, 1, FashionMnist.SIDE, FashionMnist.SIDE);
        SDVariable[] out = ClassifierNetwork.forward(sd, pixels);
        sd.identity("features", out[0]);
        sd.identity("logits", out[1]);
    }

    /** The weights, by parameter name. */
    public Map<String, float[]> weights() {
        return weights;
    }

    /** One result per image. */
    public record Reading(FashionClass label, float[] features) {
    }

    /** Reads every image, {@value #BATCH} at a time. */
    public synchronized Reading[] read(List<RgbImage> images) {
        Reading[] out = new Reading[images.size()];
        for (int from = 0; from < images.size(); from += BATCH) {
            List<RgbImage> batch = images.subList(from, Math.min(images.size(), from + BATCH));
            Map<String, INDArray> r = sd.output(Map.of("pixels", pixels(batch)), "features", "logits");
            float[] f = r.get("features").dup('c').data().asFloat();   // [n, 128]
            float[] l = r.get("logits").dup('c').data().asFloat();     // [n, 10]
            for (int i = 0; i < batch.size(); i++) {
                int best = 0;
                for (int c = 1; c < ClassifierNetwork.CLASSES; c++) {
                    if (l[i * ClassifierNetwork.CLASSES + c] > l[i * ClassifierNetwork.CLASSES + best]) {
                        best = c;
                    }
                }
                float[] features = new float[ClassifierNetwork.HIDDEN];
                System.arraycopy(f, i * ClassifierNetwork.HIDDEN, features, 0, features.length);
                out[from + i] = new Reading(FashionClass.of(best), features);
            }
        }
        return out;
    }

    /** Grey pixels in [0, 1]: [n, 1, 28, 28]. */
    static INDArray pixels(List<RgbImage> images) {
        int s = FashionMnist.SIDE;
        float[] v = new float[images.size() * s * s];
        for (int i = 0; i < images.size(); i++) {
            RgbImage im = images.get(i);
            if (im.width() != s || im.height() != s) {
                throw new dev.transfusion.api.InvalidInputException("the Fashion-MNIST judge reads 28 x 28 images, got "
                        + im.width() + " x " + im.height());
            }
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    int sum = im.channel(x, y, 0) + im.channel(x, y, 1) + im.channel(x, y, 2);
                    v[(i * s + y) * s + x] = sum / (3f * 255f);
                }
            }
        }
        return Nd4j.create(v, new long[] {images.size(), 1, s, s}, 'c');
    }
}
