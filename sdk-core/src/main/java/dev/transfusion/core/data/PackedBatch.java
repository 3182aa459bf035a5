package dev.transfusion.core.data;

import dev.transfusion.api.InvalidInputException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Packed training rows, the graph's input: the {@link PositionRows} the forward pass reads (B rows of T
 * positions, nothing cached, so {@code allowed} is [B, T, T]) and what the losses compare them with. The names
 * and meanings are the reference's {@code pack} output.
 *
 * @param rows    the positions: tokens (PAD at image and padding positions), is_image, the noised patches x_t,
 *                timesteps, positions (restarting at 0 in each document), the attention mask, modality
 * @param targets [B, T] next-token targets, -100 where there is no LM loss
 * @param noise   [B, T, P] the true epsilon at image positions, 0 elsewhere
 * @param imageId [B, T] a batch-unique image index, -1 at text positions
 */
public record PackedBatch(PositionRows rows, int[] targets, float[] noise, int[] imageId) {
    /** The target value that means "no LM loss here". */
    public static final int IGNORE = -100;

    public PackedBatch {
        int n = rows.count();
        if (rows.past() != 0) {
            throw new InvalidInputException("PackedBatch rows attend to " + rows.past() + " cached positions; training"
                    + " rows have none");
        }
        need(targets.length == n, "targets", n, targets.length);
        need(noise.length == rows.patches().length, "noise", rows.patches().length, noise.length);
        need(imageId.length == n, "image_id", n, imageId.length);
    }

    /**
     * A batch from its arrays, each as {@link PositionRows} and the fields above describe them ({@code patchDim}
     * is P, {@code allowed} [B, T, T]).
     */
    public PackedBatch(int batch, int length, int patchDim, int[] tokens, int[] targets, boolean[] isImage,
                       float[] patches, float[] noise, int[] timesteps, int[] positions, int[] imageId,
                       boolean[] allowed, int[] modality) {
        this(rows(batch, length, patchDim, tokens, isImage, patches, timesteps, positions, allowed, modality),
                targets, noise, imageId);
    }

    /** A batch whose continuous positions all belong to the first modality (a model with images only). */
    public PackedBatch(int batch, int length, int patchDim, int[] tokens, int[] targets, boolean[] isImage,
                       float[] patches, float[] noise, int[] timesteps, int[] positions, int[] imageId,
                       boolean[] allowed) {
        this(batch, length, patchDim, tokens, targets, isImage, patches, noise, timesteps, positions, imageId, allowed,
                PositionRows.firstModality(isImage));
    }

    private static PositionRows rows(int batch, int length, int patchDim, int[] tokens, boolean[] isImage,
                                     float[] patches, int[] timesteps, int[] positions, boolean[] allowed,
                                     int[] modality) {
        int n = batch * length;
        need(patches.length == n * patchDim, "patches", n * patchDim, patches.length);
        need(allowed.length == n * length, "allowed", n * length, allowed.length);
        return new PositionRows(batch, length, tokens, isImage, patches, timesteps, positions, allowed, modality);
    }

    private static void need(boolean ok, String field, int expected, int got) {
        if (!ok) {
            throw new InvalidInputException("PackedBatch." + field + " needs " + expected + " values, got " + got);
        }
    }

    /** B, the rows. */
    public int batch() {
        return rows.batch();
    }

    /** T, the positions of a row. */
    public int length() {
        return rows.length();
    }

    /** P = C * p * p, the widest modality's patch. */
    public int patchDim() {
        return rows.patchDim();
    }

    /** Positions in the batch, B * T. */
    public int positionsCount() {
        return rows.count();
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
        if (from < 0 || to > batch() || from >= to) {
            throw new IllegalArgumentException("rows " + from + ".." + to + " of a batch of " + batch());
        }
        int t = length(), p = patchDim(), a = from * t, z = to * t;
        int[] ids = Arrays.copyOfRange(imageId, a, z);
        Map<Integer, Integer> renumbered = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] >= 0) {
                int old = ids[i];
                ids[i] = renumbered.computeIfAbsent(old, k -> renumbered.size());
            }
        }
        PositionRows r = rows;
        return new PackedBatch(new PositionRows(to - from, t, Arrays.copyOfRange(r.tokens(), a, z),
                Arrays.copyOfRange(r.isImage(), a, z), Arrays.copyOfRange(r.patches(), a * p, z * p),
                Arrays.copyOfRange(r.timesteps(), a, z), Arrays.copyOfRange(r.positions(), a, z),
                Arrays.copyOfRange(r.allowed(), a * t, z * t), Arrays.copyOfRange(r.modality(), a, z)),
                Arrays.copyOfRange(targets, a, z), Arrays.copyOfRange(noise, a * p, z * p), ids);
    }
}
