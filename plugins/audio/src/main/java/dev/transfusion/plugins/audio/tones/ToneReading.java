package dev.transfusion.plugins.audio.tones;

import org.jspecify.annotations.Nullable;

/**
 * What the judge read from a clip, and the measurements behind it.
 *
 * @param pitch        nearest pitch to the median; null when no frame is voiced
 * @param contour      from the fitted slope; null when no frame is voiced
 * @param rhythm       from the count of voiced runs
 * @param timbre       from the third-harmonic ratio; null when no frame is voiced
 * @param loudness     from the 90th percentile of absolute samples
 * @param voicedFrames how many of the frames are voiced
 * @param runs         runs of more than 3 consecutive voiced frames
 * @param slope        fitted log2-frequency slope, octaves a second (NaN when no frame is voiced)
 * @param medianLog2Hz median log2 of the tracked frequency (NaN when no frame is voiced)
 * @param timbreRatio  summed magnitude near 3 f over that near f (NaN when no frame is voiced)
 * @param percentile90 90th percentile (nearest rank) of the absolute samples
 */
public record ToneReading(@Nullable TonePitch pitch, @Nullable ToneContour contour, ToneRhythm rhythm,
                          @Nullable ToneTimbre timbre, ToneLoudness loudness, int voicedFrames, int runs,
                          double slope, double medianLog2Hz, double timbreRatio, double percentile90) {
}
