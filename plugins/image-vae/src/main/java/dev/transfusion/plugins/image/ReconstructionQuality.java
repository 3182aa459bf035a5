package dev.transfusion.plugins.image;

import dev.transfusion.api.RgbImage;
import dev.transfusion.core.shapes.ShapeSample;
import dev.transfusion.core.shapes.ShapesJudge;
import java.util.ArrayList;
import java.util.List;

/**
 * How much of an image set a codec keeps: mean PSNR, and for shapes-v1 images the share whose four
 * attributes {@link ShapesJudge} still reads correctly from the reconstruction.
 *
 * @param images          how many were measured
 * @param meanPsnr        mean over images of 10 log10(255^2 / MSE), MSE over all channels; a perfect image
 *                        counts as {@value #PSNR_CAP} dB
 * @param attributesKept  share of images judged right in all four attributes (NaN when not shapes)
 */
public record ReconstructionQuality(int images, double meanPsnr, double attributesKept) {
    /** PSNR given to an exact reconstruction, where the formula is infinite. */
    public static final double PSNR_CAP = 100;

    /** PSNR in dB of {@code b} against {@code a} (same size). */
    public static double psnr(RgbImage a, RgbImage b) {
        byte[] x = a.rgb(), y = b.rgb();
        if (x.length != y.length) {
            throw new IllegalArgumentException("cannot compare " + a + " with " + b);
        }
        double se = 0;
        for (int i = 0; i < x.length; i++) {
            double d = (x[i] & 0xff) - (y[i] & 0xff);
            se += d * d;
        }
        double mse = se / x.length;
        return mse == 0 ? PSNR_CAP : Math.min(PSNR_CAP, 10 * Math.log10(255.0 * 255.0 / mse));
    }

    /** Reconstructs shapes-v1 samples and judges them. */
    public static ReconstructionQuality ofShapes(VaeCodec codec, List<ShapeSample> samples) {
        List<RgbImage> originals = new ArrayList<>();
        samples.forEach(s -> originals.add(s.image()));
        List<RgbImage> rec = codec.reconstruct(originals);
        double psnr = 0;
        int kept = 0;
        for (int i = 0; i < samples.size(); i++) {
            psnr += psnr(originals.get(i), rec.get(i));
            kept += ShapesJudge.judgeImage(rec.get(i), samples.get(i).attributes()).all() ? 1 : 0;
        }
        return new ReconstructionQuality(samples.size(), psnr / samples.size(), (double) kept / samples.size());
    }

    /** Mean PSNR of reconstructions against originals (any images). */
    public static ReconstructionQuality of(List<RgbImage> originals, List<RgbImage> reconstructions) {
        double psnr = 0;
        for (int i = 0; i < originals.size(); i++) {
            psnr += psnr(originals.get(i), reconstructions.get(i));
        }
        return new ReconstructionQuality(originals.size(), psnr / originals.size(), Double.NaN);
    }
}
