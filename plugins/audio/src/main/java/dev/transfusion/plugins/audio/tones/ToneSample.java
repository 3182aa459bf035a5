package dev.transfusion.plugins.audio.tones;

import dev.transfusion.plugins.audio.AudioClip;
import java.util.List;

/**
 * One generated tones-v1 example.
 *
 * @param clip       the rendered clip on the 16-bit grid (what its WAV file holds)
 * @param attributes what it sounds like
 * @param f0         centre frequency after jitter, Hz
 * @param peak       peak amplitude after jitter
 */
public record ToneSample(AudioClip clip, ToneAttributes attributes, double f0, double peak) {

    /** The caption, e.g. {@code a quiet buzzy high tone, falling, three notes}. */
    public String caption() {
        return attributes.caption();
    }

    /** The five question/answer pairs. */
    public List<ToneQuestion> questions() {
        return attributes.questions();
    }
}
