package dev.transfusion.api;

/**
 * The diffusion loss of an image given its caption: the noise-prediction MSE at fixed diffusion steps.
 * Lower means the model finds the image more likely for the caption.
 *
 * @param timesteps the steps t evaluated
 * @param losses    the MSE at each step
 * @param mean      their mean
 */
public record ImageScore(int[] timesteps, double[] losses, double mean) {
    public ImageScore {
        timesteps = timesteps.clone();
        losses = losses.clone();
    }

    @Override
    public int[] timesteps() {
        return timesteps.clone();
    }

    @Override
    public double[] losses() {
        return losses.clone();
    }
}
