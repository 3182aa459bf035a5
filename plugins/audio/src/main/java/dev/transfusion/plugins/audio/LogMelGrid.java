package dev.transfusion.plugins.audio;

import dev.transfusion.api.PluginException;
import dev.transfusion.api.spi.PatchGeometry;
import java.util.List;

/**
 * The grid a {@link LogMelCodec} puts a clip on: 32 mel bands by {@code columns} time columns, each column the
 * mean mel energy of {@code pool} STFT frames, cut into {@code patch} rectangles; and the normalisation that
 * makes the grid's values about zero-mean, unit-deviation over tones-v1.
 *
 * <p>Two grids exist, because what a codec's latents mean must never change under a trained model:
 * <ul>
 *   <li>{@link #FINE}: the tones-v1 calibration's {@code [1, 32, 64]} (one column a frame, 64 patches of 4 x 8).
 *       Models trained before the coarse grid existed use it, and its latents are unchanged.
 *   <li>{@link #COARSE}, the default: {@code [1, 32, 8]} (a column is 8 frames, 128 ms), 16 patches of 8 x 2, as
 *       many values (256) and positions (16) as a shapes-v1 image. It keeps all five attributes of 1,000 of
 *       1,000 held-out clips through the round trip (the fine grid: 1,000 too), while the transformer draws a
 *       quarter of the positions and an eighth of the values; the calibration found the fine grid's 2,048
 *       values learnt far slower than captions (0.355 text-to-audio after 38 minutes).
 * </ul>
 *
 * @param name       the grid's name in a codec directory ({@code fine}, {@code coarse})
 * @param mels       mel bands (latent height)
 * @param pool       STFT frames averaged into one column
 * @param patch      the rectangle of the grid one transformer position carries
 * @param mean       the log-mel mean over tones-v1's training clips, subtracted
 * @param std        their deviation, divided by
 * @param latentMin  the normalised value of silence, the lower end of the range samplers clip to
 * @param latentMax  the upper end, just above the loudest value of the data
 */
public record LogMelGrid(String name, int mels, int pool, PatchGeometry patch, double mean, double std,
                         float latentMin, float latentMax) {
    /** The calibration's grid, {@code [1, 32, 64]}: the data span -0.595..3.50. */
    public static final LogMelGrid FINE = new LogMelGrid("fine", 32, 1, new PatchGeometry(4, 8), -3.327, 2.148,
            -0.6f, 3.6f);
    /**
     * {@code [1, 32, 8]}: mean and deviation measured over train clips 0-5,999 (-3.014, 2.184); the data span
     * -0.73..3.28.
     */
    public static final LogMelGrid COARSE = new LogMelGrid("coarse", 32, 8, new PatchGeometry(8, 2), -3.01, 2.18,
            -0.74f, 3.4f);
    /** Every grid, the default first. */
    public static final List<LogMelGrid> ALL = List.of(COARSE, FINE);

    public LogMelGrid {
        if (mels < 1 || pool < 1 || !(std > 0) || !(latentMax > latentMin) || mels % patch.patchHeight() != 0) {
            throw new IllegalArgumentException("not a log-mel grid: " + mels + " mels, pool " + pool + ", patch "
                    + patch + ", std " + std + ", range " + latentMin + ".." + latentMax);
        }
    }

    /**
     * Time columns: enough for every STFT frame, rounded up to whole patches; frames past the clip's last count
     * as silent (the fine grid's 64th column, as in the calibration).
     */
    public int columns() {
        int columns = (LogMelCodec.STFT_FRAMES + pool - 1) / pool;   // the last holds fewer frames
        int w = patch.patchWidth();
        return (columns + w - 1) / w * w;
    }

    /** The latent shape, {@code [1, mels, columns]}. */
    public int[] latentShape() {
        return new int[] {1, mels, columns()};
    }

    /** The grid of a name; an unknown name is refused naming the known ones. */
    public static LogMelGrid named(String name) {
        for (LogMelGrid g : ALL) {
            if (g.name.equals(name)) {
                return g;
            }
        }
        throw new PluginException("unknown audio latent grid '" + name + "'; the audio codec has "
                + ALL.stream().map(LogMelGrid::name).toList());
    }
}
