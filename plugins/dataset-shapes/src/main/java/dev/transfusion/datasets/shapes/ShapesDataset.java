package dev.transfusion.datasets.shapes;

import dev.transfusion.api.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The shapes-v1 generator: sample {@code i} of a split is a pure function of (split seed, i), so any
 * sample can be regenerated alone, a training run that resumes at step s sees the same images, and
 * another program can rebuild the splits from the seeds below.
 *
 * <p>Drawing sample i: seed a {@link java.util.Random} with {@link #sampleSeed}(seed, i); then
 * {@code combination = nextInt(180)} (see {@link ShapeAttributes#ofIndex}), {@code side jitter =
 * nextInt(3) - 1}, {@code x jitter = nextInt(3) - 1}, {@code y jitter = nextInt(3) - 1}. At scale k:
 * side = k (nominal + side jitter), cx = k (anchor x + x jitter), cy likewise, x0 = cx - side / 2 (integer
 * division), y0 = cy - side / 2; the shape fills the pixels whose centres lie inside its
 * {@link ShapeOutline} on a white background.
 *
 * <p>The splits differ only by seed. At k = 1 there are just 180 x 3 x 3 x 3 = 4,860 distinct images, so
 * identical images do occur across splits; a split is held out in its random draws, not in its pixels.
 */
public final class ShapesDataset {
    /** Seed of the training split. */
    public static final long TRAIN_SEED = 0x5EED_0001L;
    /** Seed of the validation split. */
    public static final long VALIDATION_SEED = 0x5EED_0002L;
    /** Seed of the test split (the held-out images every report is judged on). */
    public static final long TEST_SEED = 0x5EED_0003L;
    /** Image side at scale 1. */
    public static final int BASE_SIZE = 32;

    /** The three fixed splits. */
    public enum Split {
        TRAIN(TRAIN_SEED), VALIDATION(VALIDATION_SEED), TEST(TEST_SEED);

        private final long seed;

        Split(long seed) {
            this.seed = seed;
        }

        /** The split's seed. */
        public long seed() {
            return seed;
        }
    }

    private final long seed;
    private final int scale;

    /** A generator with any seed and scale factor k (image side 32k). */
    public ShapesDataset(long seed, int scale) {
        if (scale < 1 || scale > 64) {
            throw new IllegalArgumentException("scale factor k must be in [1, 64], got " + scale);
        }
        this.seed = seed;
        this.scale = scale;
    }

    /** One of the fixed splits at scale 1 (32 x 32). */
    public static ShapesDataset of(Split split) {
        return new ShapesDataset(split.seed(), 1);
    }

    /**
     * A split at the smallest scale whose images are at least {@code side} pixels: k = side / 32 when that is
     * whole, else the next scale up (a caller resizes to {@code side}).
     */
    public static ShapesDataset atLeast(Split split, int side) {
        return new ShapesDataset(split.seed(), Math.max(1, (side + BASE_SIZE - 1) / BASE_SIZE));
    }

    /** The seed this generator draws from. */
    public long seed() {
        return seed;
    }

    /** The scale factor k. */
    public int scale() {
        return scale;
    }

    /** The image side in pixels, 32k. */
    public int imageSize() {
        return BASE_SIZE * scale;
    }

    /**
     * The {@link Random} seed of sample {@code index}: the SplitMix64 finaliser of
     * {@code seed + (index + 1) * 0x9E3779B97F4A7C15}, so neighbouring indices draw unrelated values.
     */
    public static long sampleSeed(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Sample {@code index} (0-based, any non-negative long). */
    public ShapeSample sample(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("sample index must be non-negative, got " + index);
        }
        Random random = new Random(sampleSeed(seed, index));
        ShapeAttributes a = ShapeAttributes.ofIndex(random.nextInt(ShapeAttributes.COMBINATIONS));
        int sideJitter = random.nextInt(3) - 1, dx = random.nextInt(3) - 1, dy = random.nextInt(3) - 1;
        int k = scale;
        int side = k * (a.size().side() + sideJitter);
        int cx = k * (a.position().x() + dx), cy = k * (a.position().y() + dy);
        ShapeOutline outline = new ShapeOutline(a.kind(), cx - side / 2, cy - side / 2, side);
        return new ShapeSample(draw(outline, a.colour(), imageSize()), a, outline);
    }

    /** Samples {@code from, from+1, ..., from+count-1}. */
    public List<ShapeSample> samples(long from, int count) {
        List<ShapeSample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(sample(from + i));
        }
        return out;
    }

    /** Draws a shape on white with no anti-aliasing: a pixel is the colour iff its centre is inside. */
    public static RgbImage draw(ShapeOutline outline, ShapeColour colour, int size) {
        byte[] rgb = new byte[size * size * 3];   // [H, W, 3]
        java.util.Arrays.fill(rgb, (byte) 255);
        int x0 = Math.max(0, (int) Math.floor(outline.x0())), y0 = Math.max(0, (int) Math.floor(outline.y0()));
        int x1 = Math.min(size - 1, (int) Math.ceil(outline.x0() + outline.side()));
        int y1 = Math.min(size - 1, (int) Math.ceil(outline.y0() + outline.side()));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                if (outline.coversPixel(x, y)) {
                    int i = 3 * (y * size + x);
                    rgb[i] = (byte) colour.channel(0);
                    rgb[i + 1] = (byte) colour.channel(1);
                    rgb[i + 2] = (byte) colour.channel(2);
                }
            }
        }
        return new RgbImage(size, size, rgb);
    }
}
