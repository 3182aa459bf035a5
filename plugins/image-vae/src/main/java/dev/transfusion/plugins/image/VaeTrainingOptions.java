package dev.transfusion.plugins.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.transfusion.api.InvalidInputException;

/**
 * How a VAE is trained, in two phases: the whole VAE for {@code steps - decoderSteps} steps, then the
 * latent scale is measured and the decoder alone is fine-tuned for {@code decoderSteps} steps on posterior
 * means plus Gaussian noise of {@code decoderNoise} latent standard deviations (the encoder, and so the
 * latent space, stays fixed). The shapes calibration found the second phase lifts attribute retention
 * from 88.5% to 99.5%.
 *
 * @param steps          total optimizer steps, both phases
 * @param decoderSteps   steps of the decoder fine-tune, at the end
 * @param batchSize      images per step
 * @param learningRate   AdamW peak rate of the first phase (linear warm-up, cosine decay to a tenth)
 * @param decoderRate    peak rate of the decoder fine-tune (cosine decay to a tenth, no warm-up)
 * @param warmup         warm-up steps of the first phase
 * @param decoderNoise   noise of the fine-tune, in latent standard deviations (0.05 = sigma 0.05 after scaling)
 * @param scaleImages    images whose latents measure the latent scale
 * @param seed           seeds initial weights, noise and (for folders) the shuffle
 * @param checkpointEvery steps between checkpoints (the last step always writes one)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VaeTrainingOptions(@JsonProperty("steps") int steps, @JsonProperty("decoder_steps") int decoderSteps,
                                 @JsonProperty("batch_size") int batchSize,
                                 @JsonProperty("learning_rate") double learningRate,
                                 @JsonProperty("decoder_rate") double decoderRate, @JsonProperty("warmup") int warmup,
                                 @JsonProperty("decoder_noise") double decoderNoise,
                                 @JsonProperty("scale_images") int scaleImages, @JsonProperty("seed") long seed,
                                 @JsonProperty("checkpoint_every") int checkpointEvery) {

    public VaeTrainingOptions {
        if (steps <= 0 || decoderSteps < 0 || decoderSteps > steps) {
            throw new InvalidInputException("VAE training needs steps > 0 and 0 <= decoder steps <= steps, got "
                    + steps + " and " + decoderSteps);
        }
        if (batchSize <= 0 || scaleImages <= 0 || checkpointEvery <= 0 || warmup < 0) {
            throw new InvalidInputException("VAE batch size, scale images and checkpoint interval must be positive");
        }
        if (!(learningRate > 0) || !(decoderRate > 0) || !(decoderNoise >= 0)) {
            throw new InvalidInputException("VAE learning rates must be positive and the decoder noise >= 0");
        }
    }

    /**
     * The shapes-v1 recipe for {@code steps} total steps: half of them decoder fine-tune (a decoder step costs
     * about 60% of a full one), batch 32, peak rate 3e-3 (1e-3 for the fine-tune), 100 warm-up steps, noise
     * 0.05, scale from 1,024 images, a checkpoint every 200 steps. With {@link VaeConfig#shapesDefault()}
     * and 4,500 steps on varied rasterizations (about 6 minutes on one quiet core) the VAE kept all four
     * attributes of 1,000 of 1,000 held-out shapes-v1 images at a mean PSNR of 38.1 dB, and of 99.5% of 5,000
     * anti-aliased, sub-pixel-jittered drawings by an independent renderer (issue 18; 3,000 steps: 99.1%).
     */
    public static VaeTrainingOptions defaults(int steps) {
        return new VaeTrainingOptions(steps, steps / 2, 32, 3e-3, 1e-3, Math.min(100, steps / 10),
                0.05, 1024, 1, 200);
    }

    /** Steps of the first phase (the whole VAE). */
    public int autoencoderSteps() {
        return steps - decoderSteps;
    }

    /** A copy with another total and decoder step count. */
    public VaeTrainingOptions withSteps(int total, int decoder) {
        return new VaeTrainingOptions(total, decoder, batchSize, learningRate, decoderRate, warmup, decoderNoise,
                scaleImages, seed, checkpointEvery);
    }
}
