package dev.transfusion.plugins.image;

import dev.transfusion.api.RgbImage;
import java.util.List;

/**
 * How much of an image set a codec keeps: mean PSNR, and where a data set's judge is given, the share of
 * reconstructions in which it still reads what the original shows (for shapes-v1: all four attributes).
 *
 * @param images          how many were measured
 * @param meanPsnr        mean over images of 10 log10(255^2 / MSE), MSE over all channels; a perfect image
 *                        counts as {@value #PSNR_CAP} dB
 * @param attributesKept  share of reconstructions the judge passed (NaN when no judge was given)
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

    /** How a data set's judge reads reconstruction {@code rec} of original number {@code index}. */
    @FunctionalInterface
    public interface Judge {
        /** Whether {@code rec} still shows what original {@code index} shows. */
        boolean keeps(int index, RgbImage rec);
    }

    /** Reconstructs {@code originals} through {@code codec} and judges each reconstruction. */
    public static ReconstructionQuality judged(VaeCodec codec, List<RgbImage> originals, Judge judge) {
        List<RgbImage> rec = codec.reconstruct(originals);
        double psnr = 0;
        int kept = 0;
        for (int i = 0; i < originals.size(); i++) {
            psnr += psnr(originals.get(i), rec.get(i));
            kept += judge.keeps(i, rec.get(i)) ? 1 : 0;
        }
        return new ReconstructionQuality(originals.size(), psnr / originals.size(), (double) kept / originals.size());
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
