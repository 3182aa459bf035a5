package dev.transfusion.plugins.audio;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.PatchGeometry;

/**
 * The frozen audio codec (no training): a 1 s clip at 8 kHz <-> a normalised log-mel grid
 * {@code [1, 32 mels, 64 frames]}, the recipe of the tones-v1 calibration.
 *
 * <p>Encode: centred STFT (frame 256, hop 128, periodic Hann, reflect padding) -> 63 frames of magnitudes;
 * 32 HTK mel bands 80-4,000 Hz; {@code log(mel + 0.01)}; one silent frame appended so the width divides into
 * patches (64 frames); {@code (x + 3.327) / 2.148} (the global mean and deviation of tones-v1: the latent spans
 * about -0.595..3.5). Decode: undo the normalisation, clamp the log-mel at 6 (the data reach 4.2; larger
 * values from a sampler would overflow exp), {@code exp - 0.01}, mel -> magnitudes by 30 non-negative
 * least-squares updates, Griffin-Lim 32 iterations with momentum 0.99, clip to [-1, 1].
 *
 * <p>Stateless after construction and safe to share between threads.
 */
public final class LogMelCodec implements LatentCodec {
    /** The codec's name in its directory's config. */
    public static final String CODEC = "log-mel";
    /** Samples a clip must have. */
    public static final int SAMPLES = AudioClip.SAMPLE_RATE;
    public static final int FRAME = 256;
    public static final int HOP = 128;
    public static final int MELS = 32;
    public static final double MEL_MIN_HZ = 80;
    public static final double MEL_MAX_HZ = 4000;
    /** Added to mel energies before the log, so silence is log(0.01) rather than minus infinity. */
    public static final double FLOOR = 0.01;
    /** STFT frames of a clip, 1 + 8000 / 128. */
    public static final int STFT_FRAMES = 1 + SAMPLES / HOP;
    /** Latent width: the STFT frames plus one silent frame. */
    public static final int FRAMES = STFT_FRAMES + 1;
    public static final double MEAN = -3.327;
    public static final double STD = 2.148;
    /** The range the samplers clip the clean-latent estimate to ({@link #latentRange}). */
    public static final float LATENT_MIN = -0.6f, LATENT_MAX = 3.6f;
    /** Largest log-mel decoded. */
    public static final double LOG_MEL_MAX = 6;
    public static final int NNLS_ITERATIONS = 30;
    public static final int GRIFFIN_LIM_ITERATIONS = 32;
    public static final double MOMENTUM = 0.99;
    /**
     * The patch: 4 mels x 8 frames, 8 x 8 = 64 patches of 32 values (a mel row and a time column are different
     * things, so a rectangle; the calibration's recipe).
     */
    public static final PatchGeometry PATCH = new PatchGeometry(4, 8);

    private final Stft stft = new Stft(FRAME, HOP, true);
    private final MelFilterBank mel = new MelFilterBank(MELS, MEL_MIN_HZ, MEL_MAX_HZ, FRAME, AudioClip.SAMPLE_RATE);
    private final GriffinLim griffinLim = new GriffinLim(stft, GRIFFIN_LIM_ITERATIONS, MOMENTUM);

    /** The latent of an audio part of exactly 8,000 samples: {@code [1, 32, 64]}. */
    @Override
    public Latent encode(Part part) {
        return encode(AudioClip.of(part));
    }

    /** The latent of a clip of exactly 8,000 samples. */
    public Latent encode(AudioClip clip) {
        if (clip.length() != SAMPLES) {
            throw new InvalidInputException("the audio codec reads clips of exactly " + SAMPLES + " samples (1 s at "
                    + AudioClip.SAMPLE_RATE + " Hz), got " + clip.length());
        }
        double[] energies = mel.apply(stft.forward(clip.samples()).magnitude(), STFT_FRAMES);   // [63, 32]
        float[] v = new float[MELS * FRAMES];   // [32, 64]: mel rows, frame columns
        float silent = (float) ((Math.log(FLOOR) - MEAN) / STD);
        for (int m = 0; m < MELS; m++) {
            for (int f = 0; f < STFT_FRAMES; f++) {
                v[m * FRAMES + f] = (float) ((Math.log(energies[f * MELS + m] + FLOOR) - MEAN) / STD);
            }
            v[m * FRAMES + STFT_FRAMES] = silent;
        }
        return new Latent(1, MELS, FRAMES, v);
    }

    /** The audio part a latent {@code [1, 32, 64]} decodes to. */
    @Override
    public Part decode(Latent latent) {
        return decodeClip(latent).toPart();
    }

    /** The clip a latent {@code [1, 32, 64]} decodes to: 8,000 samples in [-1, 1]. */
    public AudioClip decodeClip(Latent latent) {
        if (latent.channels() != 1 || latent.height() != MELS || latent.width() != FRAMES) {
            throw new InvalidInputException("the audio codec decodes latents [1, " + MELS + ", " + FRAMES + "], got ["
                    + latent.channels() + ", " + latent.height() + ", " + latent.width() + "]");
        }
        float[] v = latent.values();
        double[] energies = new double[STFT_FRAMES * MELS];   // [63, 32]; the appended frame is dropped
        for (int m = 0; m < MELS; m++) {
            for (int f = 0; f < STFT_FRAMES; f++) {
                double x = v[m * FRAMES + f];
                if (Double.isNaN(x)) {
                    throw new InvalidInputException("the audio latent is NaN at mel " + m + ", frame " + f);
                }
                double logMel = Math.min(LOG_MEL_MAX, x * STD + MEAN);
                energies[f * MELS + m] = Math.max(0, Math.exp(logMel) - FLOOR);
            }
        }
        double[] magnitude = mel.invert(energies, STFT_FRAMES, NNLS_ITERATIONS);   // [63, 129]
        float[] x = griffinLim.reconstruct(magnitude, STFT_FRAMES, SAMPLES);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(-1f, Math.min(1f, x[i]));
        }
        return new AudioClip(x);
    }

    @Override
    public int latentChannels() {
        return 1;
    }

    /** 4 mels x 8 frames: 64 patches of 32 values of the {@code [1, 32, 64]} grid. */
    @Override
    public PatchGeometry geometry() {
        return PATCH;
    }

    /** The latent shape every clip encodes to and generation draws, {@code [C, H, W] = [1, 32, 64]}. */
    @Override
    public int[] latentShape() {
        return new int[] {1, MELS, FRAMES};
    }

    /**
     * [-0.6, 3.6]: the normalised log-mel of tones-v1 spans -0.595..3.50. The tones calibration measured DDIM
     * without this clip running off to -50..+47 (every clip decoded loud and buzzy); with it text-to-audio rose
     * from 0.215 to 0.355 at the same step.
     */
    @Override
    public float[] latentRange() {
        return new float[] {LATENT_MIN, LATENT_MAX};
    }
}
