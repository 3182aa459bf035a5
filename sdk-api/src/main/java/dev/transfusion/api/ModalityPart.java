package dev.transfusion.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * Data of a modality that a plugin registers (an audio spectrogram, say), carried as a dense float
 * tensor in row-major order; the plugin that owns {@code modality} knows how to read it.
 *
 * @param modality the plugin's modality name
 * @param shape    the tensor's shape, every dimension positive
 * @param values   the values, {@code product(shape)} of them
 */
public record ModalityPart(String modality, int[] shape, float[] values) implements Part {

    public ModalityPart {
        Objects.requireNonNull(modality, "modality");
        if (modality.isBlank()) {
            throw new InvalidInputException("ModalityPart.modality must not be blank");
        }
        shape = shape.clone();
        values = values.clone();
        long n = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new InvalidInputException("ModalityPart.shape must be positive, got " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != values.length) {
            throw new InvalidInputException("ModalityPart of '" + modality + "': shape " + Arrays.toString(shape)
                    + " needs " + n + " values, got " + values.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModalityPart p && p.modality.equals(modality)
                && Arrays.equals(p.shape, shape) && Arrays.equals(p.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modality, Arrays.hashCode(shape), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "ModalityPart[" + modality + ", shape=" + Arrays.toString(shape) + "]";
    }
}
