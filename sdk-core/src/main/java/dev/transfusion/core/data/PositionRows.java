package dev.transfusion.core.data;

import dev.transfusion.api.InvalidInputException;

/**
 * Positions as the transformer reads them: B rows of S positions, flat row-major arrays. The one input type
 * of every forward pass: the training graph reads a {@link PackedBatch}'s rows (S = T, nothing cached), the
 * cached forward reads the new positions of a prompt or a generation step after {@code past} cached ones.
 *
 * @param batch     B
 * @param length    S
 * @param tokens    [B, S] token ids (PAD at span positions)
 * @param isImage   [B, S] true at the positions of a continuous span (an image, an audio clip, ...)
 * @param patches   [B, S, P] each span position's patch x_t in its modality's first P_m values, 0 elsewhere
 * @param timesteps [B, S] the diffusion step t of each position's span, 0 elsewhere
 * @param positions [B, S] positions in the document (RoPE), restarting at 0 in each document
 * @param allowed   [B, S, past + S]: may position i attend to cached position j (j &lt; past) or new position
 *                  j - past
 * @param modality  [B, S] each position's continuous modality (index in the config), -1 at text
 */
public record PositionRows(int batch, int length, int[] tokens, boolean[] isImage, float[] patches, int[] timesteps,
                           int[] positions, boolean[] allowed, int[] modality) {

    public PositionRows {
        int n = batch * length;
        if (batch < 1 || length < 1) {
            throw new InvalidInputException("position rows need B >= 1 rows of S >= 1 positions, got " + batch
                    + " x " + length);
        }
        need(tokens.length == n, "tokens", n, tokens.length);
        need(isImage.length == n, "is_image", n, isImage.length);
        need(timesteps.length == n, "timesteps", n, timesteps.length);
        need(positions.length == n, "positions", n, positions.length);
        need(modality.length == n, "modality", n, modality.length);
        if (patches.length % n != 0) {
            throw new InvalidInputException("position rows' patches need a multiple of " + n + " values, got "
                    + patches.length);
        }
        if (allowed.length % n != 0 || allowed.length / n < length) {
            throw new InvalidInputException("position rows' allowed needs " + n + " x (past + " + length
                    + ") entries, got " + allowed.length);
        }
        for (int i = 0; i < n; i++) {
            if (isImage[i] != modality[i] >= 0) {
                throw new InvalidInputException("position " + i + ": is_image " + isImage[i] + " but modality "
                        + modality[i]);
            }
        }
    }

    /** Rows whose continuous positions all belong to the first modality (a model with images only). */
    public PositionRows(int batch, int length, int[] tokens, boolean[] isImage, float[] patches, int[] timesteps,
                        int[] positions, boolean[] allowed) {
        this(batch, length, tokens, isImage, patches, timesteps, positions, allowed, firstModality(isImage));
    }

    /** 0 where {@code isImage}, else -1. */
    public static int[] firstModality(boolean[] isImage) {
        int[] m = new int[isImage.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = isImage[i] ? 0 : -1;
        }
        return m;
    }

    /** Positions in all rows, B * S. */
    public int count() {
        return batch * length;
    }

    /** P, the values of each position's patch. */
    public int patchDim() {
        return patches.length / count();
    }

    /** The cached positions each row attends to before its own. */
    public int past() {
        return allowed.length / count() - length;
    }

    private static void need(boolean ok, String field, int expected, int got) {
        if (!ok) {
            throw new InvalidInputException("position rows' " + field + " needs " + expected + " values, got " + got);
        }
    }
}
