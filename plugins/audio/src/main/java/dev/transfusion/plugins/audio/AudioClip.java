package dev.transfusion.plugins.audio;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.Part;
import java.util.Arrays;

/**
 * A mono clip at 8,000 samples a second, samples in [-1, 1] (full scale 1), and its form as a document part:
 * a {@link ModalityPart} of modality {@code "audio"} with shape {@code [samples]}.
 *
 * @param samples the samples, a copy
 */
public record AudioClip(float[] samples) {
    /** The modality name of audio parts. */
    public static final String MODALITY = "audio";
    /** Samples per second. */
    public static final int SAMPLE_RATE = 8000;

    public AudioClip {
        if (samples.length == 0) {
            throw new InvalidInputException("an audio clip needs at least one sample");
        }
        samples = samples.clone();
    }

    /** The samples, a copy. */
    @Override
    public float[] samples() {
        return samples.clone();
    }

    /** How many samples. */
    public int length() {
        return samples.length;
    }

    /** The clip as a document part. */
    public ModalityPart toPart() {
        return new ModalityPart(MODALITY, new int[] {samples.length}, samples);
    }

    /** The clip an audio part carries; anything else is refused, naming what it is. */
    public static AudioClip of(Part part) {
        if (!(part instanceof ModalityPart p) || !p.modality().equals(MODALITY)) {
            throw new InvalidInputException("expected an '" + MODALITY + "' part, got a '" + part.modality() + "' part");
        }
        if (p.shape().length != 1) {
            throw new InvalidInputException("an '" + MODALITY + "' part has shape [samples], got "
                    + Arrays.toString(p.shape()));
        }
        return new AudioClip(p.values());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioClip c && Arrays.equals(c.samples, samples);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return "AudioClip[" + samples.length + " samples]";
    }
}
