package dev.transfusion.core.data;

import dev.transfusion.api.InvalidInputException;

/**
 * Packed training rows, the graph's input: B rows of T positions, flat row-major arrays.
 * The names and meanings are the reference's {@code pack} output.
 *
 * @param batch     B
 * @param length    T
 * @param patchDim  P = C * p * p
 * @param tokens    [B, T] token ids (PAD at image and padding positions' ids as packed)
 * @param targets   [B, T] next-token targets, -100 where there is no LM loss
 * @param isImage   [B, T] true at image-patch positions
 * @param patches   [B, T, P] noised latent patches x_t at image positions, 0 elsewhere
 * @param noise     [B, T, P] the true epsilon at image positions, 0 elsewhere
 * @param timesteps [B, T] the diffusion step t of each position's image, 0 elsewhere
 * @param positions [B, T] positions, restarting at 0 in each document
 * @param imageId   [B, T] a batch-unique image index, -1 at text positions
 * @param allowed   [B, T, T] true where position i may attend to position j
 * @param modality  [B, T] the index (in the config's modalities) of each position's continuous modality, -1 at text;
 *                  its patch is the first P_m of the position's P values
 */
public record PackedBatch(int batch, int length, int patchDim, int[] tokens, int[] targets, boolean[] isImage,
                          float[] patches, float[] noise, int[] timesteps, int[] positions, int[] imageId,
                          boolean[] allowed, int[] modality) {
    /** The target value that means "no LM loss here". */
    public static final int IGNORE = -100;

    public PackedBatch {
        int n = batch * length;
        need(tokens.length == n, "tokens", n, tokens.length);
        need(targets.length == n, "targets", n, targets.length);
        need(isImage.length == n, "is_image", n, isImage.length);
        need(patches.length == n * patchDim, "patches", n * patchDim, patches.length);
        need(noise.length == n * patchDim, "noise", n * patchDim, noise.length);
        need(timesteps.length == n, "timesteps", n, timesteps.length);
        need(positions.length == n, "positions", n, positions.length);
        need(imageId.length == n, "image_id", n, imageId.length);
        need(allowed.length == n * length, "allowed", n * length, allowed.length);
        need(modality.length == n, "modality", n, modality.length);
        for (int i = 0; i < n; i++) {
            if (isImage[i] != modality[i] >= 0) {
                throw new InvalidInputException("PackedBatch position " + i + ": is_image " + isImage[i]
                        + " but modality " + modality[i]);
            }
        }
    }

    /** A batch whose continuous positions all belong to the first modality (a model with images only). */
    public PackedBatch(int batch, int length, int patchDim, int[] tokens, int[] targets, boolean[] isImage,
                       float[] patches, float[] noise, int[] timesteps, int[] positions, int[] imageId,
                       boolean[] allowed) {
        this(batch, length, patchDim, tokens, targets, isImage, patches, noise, timesteps, positions, imageId, allowed,
                firstModality(isImage));
    }

    /** 0 where {@code isImage}, else -1. */
    public static int[] firstModality(boolean[] isImage) {
        int[] m = new int[isImage.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = isImage[i] ? 0 : -1;
        }
        return m;
    }

    private static void need(boolean ok, String field, int expected, int got) {
        if (!ok) {
            throw new InvalidInputException("PackedBatch." + field + " needs " + expected + " values, got " + got);
        }
    }

    /** Positions in the batch, B * T. */
    public int positionsCount() {
        return batch * length;
    }

    /** Number of distinct images (image ids are 0..n-1 across the batch). */
    public int imageCount() {
        int max = -1;
        for (int id : imageId) {
            max = Math.max(max, id);
        }
        return max + 1;
    }

    /**
     * Rows {@code from} (inclusive) to {@code to} (exclusive) as a batch of their own, image ids renumbered
     * 0.. in order of appearance. Each image lies within one row, so no image is split.
     */
    public PackedBatch rows(int from, int to) {
        if (from < 0 || to > batch || from >= to) {
            throw new IllegalArgumentException("rows " + from + ".." + to + " of a batch of " + batch);
        }
        int t = length, a = from * t, z = to * t;
        int[] ids = java.util.Arrays.copyOfRange(imageId, a, z);
        java.util.Map<Integer, Integer> renumbered = new java.util.HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] >= 0) {
                int old = ids[i];
                ids[i] = renumbered.computeIfAbsent(old, k -> renumbered.size());
            }
        }
        return new PackedBatch(to - from, t, patchDim, java.util.Arrays.copyOfRange(tokens, a, z),
                java.util.Arrays.copyOfRange(targets, a, z), java.util.Arrays.copyOfRange(isImage, a, z),
                java.util.Arrays.copyOfRange(patches, a * patchDim, z * patchDim),
                java.util.Arrays.copyOfRange(noise, a * patchDim, z * patchDim), java.util.Arrays.copyOfRange(timesteps, a, z),
                java.util.Arrays.copyOfRange(positions, a, z), ids, java.util.Arrays.copyOfRange(allowed, a * t, z * t),
                java.util.Arrays.copyOfRange(modality, a, z));
    }
}
