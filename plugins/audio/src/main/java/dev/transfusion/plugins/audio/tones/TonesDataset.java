package dev.transfusion.plugins.audio.tones;

import dev.transfusion.plugins.audio.AudioClip;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The tones-v1 generator: sample {@code i} of a split is a pure function of (split seed, i), so any sample
 * can be regenerated alone and another program can rebuild the splits from the seeds below.
 *
 * <p>Drawing sample i: seed a {@link java.util.Random} with {@link #sampleSeed}(seed, i); then
 * {@code combination = nextInt(72)} (see {@link ToneAttributes#ofIndex}), {@code u = 2 nextDouble() - 1},
 * {@code v = 2 nextDouble() - 1}; f0 = pitch x 2^(u / 24), peak = loudness x 2^(v / 4); the clip is
 * {@link ToneRenderer#render} rounded to the 16-bit grid (round(x 32768) / 32768), as its WAV file holds it.
 */
public final class TonesDataset {
    /** Seed of the training split. */
    public static final long TRAIN_SEED = 0x70E5_0001L;
    /** Seed of the validation split. */
    public static final long VALIDATION_SEED = 0x70E5_0002L;
    /** Seed of the test split (the held-out clips every report is judged on). */
    public static final long TEST_SEED = 0x70E5_0003L;

    /** The fixed splits. */
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

    /** A generator with any seed. */
    public TonesDataset(long seed) {
        this.seed = seed;
    }

    /** One of the fixed splits. */
    public static TonesDataset of(Split split) {
        return new TonesDataset(split.seed());
    }

    /** The seed this generator draws from. */
    public long seed() {
        return seed;
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
    public ToneSample sample(long index) {
        ToneDraw d = draw(index);
        return render(d.attributes(), d.f0(), d.peak());
    }

    /** The draws of sample {@code index} without rendering its clip (cheap: for captions and questions). */
    public ToneDraw draw(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("sample index must be non-negative, got " + index);
        }
        Random random = new Random(sampleSeed(seed, index));
        ToneAttributes a = ToneAttributes.ofIndex(random.nextInt(ToneAttributes.COMBINATIONS));
        double u = 2 * random.nextDouble() - 1, v = 2 * random.nextDouble() - 1;
        return new ToneDraw(a, a.pitch().hz() * Math.pow(2, u / 24), a.loudness().peak() * Math.pow(2, v / 4));
    }

    /** Samples {@code from, from+1, ..., from+count-1}. */
    public List<ToneSample> samples(long from, int count) {
        List<ToneSample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(sample(from + i));
        }
        return out;
    }

    /** A clip with the given attributes and jittered f0 and peak, on the 16-bit grid. */
    public static ToneSample render(ToneAttributes a, double f0, double peak) {
        float[] x = ToneRenderer.render(a, f0, peak);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768.0))) / 32768f;
        }
        return new ToneSample(new AudioClip(x), a, f0, peak);
    }
}
