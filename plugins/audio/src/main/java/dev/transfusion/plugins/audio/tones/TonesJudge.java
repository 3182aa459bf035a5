package dev.transfusion.plugins.audio.tones;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.plugins.audio.AudioClip;
import dev.transfusion.plugins.audio.Stft;
import java.util.Arrays;

/**
 * The tones-v1 judge, exactly as the spec words it. Frames of 256 samples (hop 128) start at sample 0 with
 * no padding (61 frames of a 1 s clip; a frame's time is its centre); the magnitude spectrum is the DFT of
 * the frame times a periodic Hann window. A frame is voiced when its RMS (of the raw samples) exceeds 0.2 x
 * the largest frame RMS of the clip.
 * <ul>
 *   <li>rhythm: runs of more than 3 consecutive voiced frames; 2 or more runs -> three, else one;</li>
 *   <li>pitch track: in each voiced frame, the largest magnitude bin among bins 4..64 (100-2,000 Hz),
 *       refined by a parabola through it and its two neighbours' magnitudes (the vertex kept within half a
 *       bin, which only matters at the range's edges);</li>
 *   <li>contour: the least-squares slope of log2(frequency) against time in seconds; over +0.4 octave a
 *       second rising, under -0.4 falling, else steady;</li>
 *   <li>pitch: the median of log2(frequency) (even counts: the mean of the middle two), nearest of 220,
 *       440, 880 Hz in log2;</li>
 *   <li>timbre: summed over voiced frames, the magnitude of the integer bins at most 2 away from 3 x the
 *       tracked (fractional) bin, over that of the bins at most 2 away from the tracked bin; over 0.12
 *       buzzy (bins past the last, N/2, do not exist and add nothing);</li>
 *   <li>loudness: the nearest-rank 90th percentile of |sample| over the clip; over 0.25 loud.</li>
 * </ul>
 * A clip with no voiced frame is wrong in pitch, contour and timbre. Captions and answers are compared
 * after {@link ToneCaption#normalize}; a caption that does not parse is wrong in every attribute.
 */
public final class TonesJudge {
    public static final int FRAME = 256;
    public static final int HOP = 128;
    /** Samples of a tones-v1 clip: 1 s. */
    public static final int SAMPLES = AudioClip.SAMPLE_RATE;
    /** A frame is voiced above this fraction of the largest frame RMS. */
    public static final double VOICED_FRACTION = 0.2;
    /** Runs of voiced frames longer than this count as notes. */
    public static final int MIN_RUN = 3;
    /** The pitch search covers bins 4..64 inclusive: 125-2,000 Hz, the bins inside 100-2,000 Hz. */
    public static final int LOWEST_BIN = 4;
    public static final int HIGHEST_BIN = 64;
    private static final Stft STFT = new Stft(FRAME, HOP, false);
    private static final double HZ_PER_BIN = (double) AudioClip.SAMPLE_RATE / FRAME;

    private TonesJudge() {
    }

    /**
     * Reads the five attributes of a clip of exactly 1 s (8,000 samples): the spec's frames and thresholds
     * mean nothing for another length, so another is refused by its length.
     */
    public static ToneReading read(AudioClip clip) {
        if (clip.length() != SAMPLES) {
            throw new InvalidInputException("tones-v1 judges clips of exactly " + SAMPLES + " samples (1 s at "
                    + AudioClip.SAMPLE_RATE + " Hz), got " + clip.length());
        }
        float[] x = clip.samples();
        int frames = STFT.frames(x.length), bins = STFT.bins();
        double[] rms = new double[frames];
        double maxRms = 0;
        for (int f = 0; f < frames; f++) {
            double s = 0;
            for (int j = 0; j < FRAME; j++) {
                double v = x[f * HOP + j];
                s += v * v;
            }
            rms[f] = Math.sqrt(s / FRAME);
            maxRms = Math.max(maxRms, rms[f]);
        }
        boolean[] voiced = new boolean[frames];
        int voicedCount = 0, runs = 0, run = 0;
        for (int f = 0; f < frames; f++) {
            voiced[f] = rms[f] > VOICED_FRACTION * maxRms;
            voicedCount += voiced[f] ? 1 : 0;
            run = voiced[f] ? run + 1 : 0;
            if (run == MIN_RUN + 1) {   // the run just became long enough: count it once
                runs++;
            }
        }
        ToneRhythm rhythm = runs >= 2 ? ToneRhythm.THREE : ToneRhythm.ONE;
        double p90 = percentile90(x);
        ToneLoudness loudness = p90 > ToneLoudness.LOUD_ABOVE ? ToneLoudness.LOUD : ToneLoudness.QUIET;
        if (voicedCount == 0) {
            return new ToneReading(null, null, rhythm, null, loudness, 0, runs, Double.NaN, Double.NaN, Double.NaN, p90);
        }
        double[] magnitude = STFT.forward(x).magnitude();   // [frames, bins]
        double[] times = new double[voicedCount], log2Hz = new double[voicedCount];
        double third = 0, first = 0;
        int i = 0;
        for (int f = 0; f < frames; f++) {
            if (!voiced[f]) {
                continue;
            }
            int off = f * bins;
            int k = LOWEST_BIN;
            for (int b = LOWEST_BIN + 1; b <= HIGHEST_BIN; b++) {
                if (magnitude[off + b] > magnitude[off + k]) {
                    k = b;
                }
            }
            double a = magnitude[off + k - 1], b = magnitude[off + k], c = magnitude[off + k + 1];
            double curvature = a - 2 * b + c;
            // the vertex lies within half a bin when k is a local maximum; at the search's edge (bins 4 and 64) a
            // larger neighbour outside the range can push it anywhere, even below 0 Hz: keep it to half a bin
            double offset = curvature == 0 ? 0 : 0.5 * (a - c) / curvature;
            double bin = k + Math.max(-0.5, Math.min(0.5, offset));
            times[i] = (f * HOP + FRAME / 2.0) / AudioClip.SAMPLE_RATE;
            log2Hz[i] = TonePitch.log2(bin * HZ_PER_BIN);
            first += near(magnitude, off, bins, bin);
            third += near(magnitude, off, bins, 3 * bin);
            i++;
        }
        double slope = slope(times, log2Hz), median = median(log2Hz), ratio = first > 0 ? third / first : 0;
        return new ToneReading(TonePitch.nearest(median), ToneContour.ofSlope(slope), rhythm,
                ratio > ToneTimbre.BUZZY_ABOVE ? ToneTimbre.BUZZY : ToneTimbre.PURE, loudness, voicedCount, runs,
                slope, median, ratio, p90);
    }

    /** Judges a clip against the attributes it should have. */
    public static ToneVerdict judgeClip(AudioClip clip, ToneAttributes truth) {
        return ToneVerdict.compare(read(clip), truth);
    }

    /**
     * Judges a clip against a caption: the spec's pass is {@code all()}. A caption that does not parse is wrong
     * in every attribute, whatever the clip.
     */
    public static ToneVerdict judgeClip(AudioClip clip, String caption) {
        ToneAttributes truth = ToneCaption.parse(caption);
        return truth == null ? ToneVerdict.WRONG : judgeClip(clip, truth);
    }

    /** Judges a generated caption against the truth; one that does not parse is wrong in all five. */
    public static ToneVerdict judgeCaption(String caption, ToneAttributes truth) {
        ToneAttributes parsed = ToneCaption.parse(caption);
        return parsed == null ? ToneVerdict.WRONG : ToneVerdict.compare(parsed, truth);
    }

    /** Judges an answer: exact match with the expected answer after normalising both. */
    public static boolean judgeAnswer(String answer, String expected) {
        return ToneCaption.normalize(answer).equals(ToneCaption.normalize(expected));
    }

    /** Summed magnitude of the integer bins at most 2 away from a fractional bin position. */
    private static double near(double[] magnitude, int off, int bins, double position) {
        double s = 0;
        for (int j = (int) Math.ceil(position - 2); j <= Math.floor(position + 2); j++) {
            if (j >= 0 && j < bins) {
                s += magnitude[off + j];
            }
        }
        return s;
    }

    /** Least-squares slope of y against x; 0 for fewer than two distinct x. */
    static double slope(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0), my = Arrays.stream(y).average().orElse(0);
        double sxy = 0, sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Nearest-rank 90th percentile of |x|: the ceil(0.9 n)-th smallest. */
    static double percentile90(float[] x) {
        double[] a = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            a[i] = Math.abs(x[i]);
        }
        Arrays.sort(a);
        int rank = (9 * a.length + 9) / 10;   // ceil(0.9 n) in integers: no rounding of 0.9 n
        return a.length == 0 ? 0 : a[rank - 1];
    }
}
