package dev.transfusion.core.model;

import dev.transfusion.core.data.PackedBatch;
import java.util.Arrays;

/**
 * What the losses average over: the LM loss over the batch's targets, each modality's DDPM loss over that
 * modality's spans (each span's own squared error being a mean over its positions). A data-parallel replica
 * that runs part of a batch takes the whole batch's counts, so that the parts' losses and gradients sum to the
 * whole's.
 *
 * @param targets positions with an LM target
 * @param spans   per modality (its index in the config), spans with at least one position
 */
public record LossNorm(int targets, int[] spans) {

    public LossNorm {
        spans = spans.clone();
    }

    /** Spans of modality {@code k} (0 when the batch has none of it). */
    public int spans(int k) {
        return k < spans.length ? spans[k] : 0;
    }

    /** The counts of {@code b}. */
    public static LossNorm of(PackedBatch b) {
        int targets = 0;
        for (int y : b.targets()) {
            if (y != PackedBatch.IGNORE) {
                targets++;
            }
        }
        int kinds = Arrays.stream(b.rows().modality()).max().orElse(-1) + 1;
        int[] spans = new int[kinds];
        boolean[] seen = new boolean[Math.max(0, b.imageCount())];
        for (int i = 0; i < b.imageId().length; i++) {
            int id = b.imageId()[i];
            if (id >= 0 && b.rows().modality()[i] >= 0 && !seen[id]) {
                seen[id] = true;
                spans[b.rows().modality()[i]]++;
            }
        }
        return new LossNorm(targets, spans);
    }

    @Override
    public int[] spans() {
        return spans.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossNorm n && n.targets == targets && Arrays.equals(n.spans, spans);
    }

    @Override
    public int hashCode() {
        return 31 * targets + Arrays.hashCode(spans);
    }
}
