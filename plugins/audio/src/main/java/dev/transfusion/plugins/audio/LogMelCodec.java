package dev.transfusion.plugins.audio;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.PatchGeometry;

/**
 * The frozen audio codec (no training): a 1 s clip at 8 kHz <-> a normalised log-mel grid
 * {@code [1, 32 mels, columns]} ({@link LogMelGrid}: the coarse default {@code [1, 32, 8]}, or the tones-v1
 * calibration's {@code [1, 32, 64]}).
 *
 * <p>Encode: centred STFT (frame 256, hop 128, periodic Hann, reflect padding) -> 63 frames of magnitudes;
 * 32 HTK mel bands 80-4,000 Hz; the mean energy of each {@code pool} frames (the last column's fewer; a column
 * past the clip's frames, the fine grid's 64th, is silent); {@code log(mel + 0.01)}; {@code (x - mean) / std}.
 * Decode: undo the normalisation, clamp the log-mel at 6 (the data reach 4.2; larger values from a sampler would
 * overflow exp), {@code exp - 0.01}; frame energies interpolated linearly between column centres (a pool of 1 is
 * the identity); mel -> magnitudes by 30 non-negative least-squares updates, Griffin-Lim 32 iterations with
 * momentum 0.99, clip to [-1, 1].
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
    public static final double MEL_MIN_HZ = 80;
    public static final double MEL_MAX_HZ = 4000;
    /** Added to mel energies before the log, so silence is log(0.01) rather than minus infinity. */
    public static final double FLOOR = 0.01;
    /** STFT frames of a clip, 1 + 8000 / 128. */
    public static final int STFT_FRAMES = 1 + SAMPLES / HOP;
    /** Largest log-mel decoded. */
    public static final double LOG_MEL_MAX = 6;
    public static final int NNLS_ITERATIONS = 30;
    public static final int GRIFFIN_LIM_ITERATIONS = 32;
    public static final double MOMENTUM = 0.99;

    private final LogMelGrid grid;
    private final int mels, columns;
    private final Stft stft = new Stft(FRAME, HOP, true);
    private final MelFilterBank mel;
    private final GriffinLim griffinLim = new GriffinLim(stft, GRIFFIN_LIM_ITERATIONS, MOMENTUM);

    /** The codec on the default grid, {@link LogMelGrid#COARSE}. */
    public LogMelCodec() {
        this(LogMelGrid.COARSE);
    }

    /** The codec on {@code grid}. */
    public LogMelCodec(LogMelGrid grid) {
        this.grid = grid;
        this.mels = grid.mels();
        this.columns = grid.columns();
        this.mel = new MelFilterBank(mels, MEL_MIN_HZ, MEL_MAX_HZ, FRAME, AudioClip.SAMPLE_RATE);
    }

    /** The grid this codec's latents lie on. */
    public LogMelGrid grid() {
        return grid;
    }

    /** The latent of an audio part of exactly 8,000 samples: {@code [1, mels, columns]}. */
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
        double[] energies = mel.apply(stft.forward(clip.samples()).magnitude(), STFT_FRAMES);   // [63, mels]
        int pool = grid.pool();
        float[] v = new float[mels * columns];   // [mels, columns]: mel rows, time columns
        for (int m = 0; m < mels; m++) {
            for (int c = 0; c < columns; c++) {
                // the mean over the clip's frames in the column; a column past the clip (the fine grid's 64th) is silent
                int from = c * pool, to = Math.min(STFT_FRAMES, (c + 1) * pool);
                double sum = 0;
                for (int f = from; f < to; f++) {
                    sum += energies[f * mels + m];
                }
                double energy = to > from ? sum / (to - from) : 0;
                v[m * columns + c] = (float) ((Math.log(energy + FLOOR) - grid.mean()) / grid.std());
            }
        }
        return new Latent(1, mels, columns, v);
    }

    /** The audio part a latent {@code [1, mels, columns]} decodes to. */
    @Override
    public Part decode(Latent latent) {
        return decodeClip(latent).toPart();
    }

    /** The clip a latent {@code [1, mels, columns]} decodes to: 8,000 samples in [-1, 1]. */
    public AudioClip decodeClip(Latent latent) {
        if (latent.channels() != 1 || latent.height() != mels || latent.width() != columns) {
            throw new InvalidInputException("the audio codec decodes latents [1, " + mels + ", " + columns + "], got ["
                    + latent.channels() + ", " + latent.height() + ", " + latent.width() + "]");
        }
        float[] v = latent.values();
        double[] column = new double[mels * columns];   // [mels, columns] mel energies
        for (int m = 0; m < mels; m++) {
            for (int c = 0; c < columns; c++) {
                double x = v[m * columns + c];
                if (Double.isNaN(x)) {
                    throw new InvalidInputException("the audio latent is NaN at mel " + m + ", column " + c);
                }
                double logMel = Math.min(LOG_MEL_MAX, x * grid.std() + grid.mean());
                column[m * columns + c] = Math.max(0, Math.exp(logMel) - FLOOR);
            }
        }
        double[] energies = new double[STFT_FRAMES * mels];   // [63, mels]; frames past the clip are dropped
        int pool = grid.pool();
        for (int f = 0; f < STFT_FRAMES; f++) {
            // frame f between the centres of columns c0 and c0 + 1 (a pool of 1: exactly on column f)
            double at = (f - (pool - 1) / 2.0) / pool;
            int c0 = (int) Math.floor(at);
            double w = at - c0;
            int a = Math.max(0, Math.min(columns - 1, c0)), b = Math.max(0, Math.min(columns - 1, c0 + 1));
            for (int m = 0; m < mels; m++) {
                // w = 0 gives column a's value to the bit: every column is finite (the log-mel is clamped)
                energies[f * mels + m] = (1 - w) * column[m * columns + a] + w * column[m * columns + b];
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

    /** The grid's patch: 8 mels x 2 columns on the coarse grid (16 patches), 4 x 8 on the fine one (64). */
    @Override
    public PatchGeometry geometry() {
        return grid.patch();
    }

    /** The latent shape every clip encodes to and generation draws, {@code [1, 32, 8]} on the coarse grid. */
    @Override
    public int[] latentShape() {
        return grid.latentShape();
    }

    /**
     * The grid's data range, a little widened: the tones calibration measured DDIM without this clip running
     * off to -50..+47 (every clip decoded loud and buzzy); with it text-to-audio rose from 0.215 to 0.355 at the
     * same step.
     */
    @Override
    public float[] latentRange() {
        return new float[] {grid.latentMin(), grid.latentMax()};
    }
}
