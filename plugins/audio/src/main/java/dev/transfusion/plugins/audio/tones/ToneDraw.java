package dev.transfusion.plugins.audio.tones;

/**
 * The random draws behind one tones-v1 sample, before rendering.
 *
 * @param attributes the combination drawn
 * @param f0         centre frequency after jitter, Hz: pitch x 2^(u / 24)
 * @param peak       peak amplitude after jitter: loudness x 2^(v / 4)
 */
public record ToneDraw(ToneAttributes attributes, double f0, double peak) {
}
