package dev.transfusion.core.model;

import dev.transfusion.core.data.PackedBatch;

/**
 * What the two losses average over: the LM loss over the batch's targets, the DDPM loss over its images
 * (each image's own squared error being a mean over its positions). A data-parallel replica that runs part
 * of a batch takes the whole batch's counts, so that the parts' losses and gradients sum to the whole's.
 *
 * @param targets positions with an LM target
 * @param images  images with at least one position
 */
public record LossNorm(int targets, int images) {

    /** The counts of {@code b}. */
    public static LossNorm of(PackedBatch b) {
        int targets = 0;
        for (int y : b.targets()) {
            if (y != PackedBatch.IGNORE) {
                targets++;
            }
        }
        boolean[] seen = new boolean[Math.max(0, b.imageCount())];
        int images = 0;
        for (int id : b.imageId()) {
            if (id >= 0 && !seen[id]) {
                seen[id] = true;
                images++;
            }
        }
        return new LossNorm(targets, images);
    }
}
