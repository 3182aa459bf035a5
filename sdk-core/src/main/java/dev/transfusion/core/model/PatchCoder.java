package dev.transfusion.core.model;

import dev.transfusion.core.TransfusionConfig;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How image latents enter and leave the transformer: patches of x_t to {@code [B*T, D]} inputs at image
 * positions, and the final hidden states back to predicted noise {@code [B*T, P]}. One instance serves one
 * forward pass of a graph (the U-Net keeps its skip activations between encode and decode).
 */
interface PatchCoder {

    /** The coder of {@code c}'s type, building into {@code sd} (null: for its shapes and feeds only). */
    static PatchCoder of(TransfusionConfig c, @Nullable SameDiff sd) {
        return switch (c.coder()) {
            case LINEAR -> new LinearPatchCoder(c, sd);
            case UNET -> new UNetPatchCoder(c, sd);
        };
    }

    /** Encoder parameters and their shapes, in layout order (they come before the transformer's). */
    Map<String, long[]> encoderShapes();

    /** Decoder parameters (after the LM head). */
    Map<String, long[]> decoderShapes();

    /**
     * Declares the coder's placeholders ({@code prefix + NAME}) and returns the image inputs {@code [B*T, D]},
     * exactly zero at text positions.
     *
     * @param imageTime each image's timestep embedding [N, D]
     */
    SDVariable encode(String prefix, SDVariable imageTime);

    /** Predicted noise {@code [B*T, P]} from the final hidden states {@code [B*T, D]}; after {@link #encode}. */
    SDVariable decode(SDVariable hidden, SDVariable imageTime);

    /**
     * The coder's placeholders for rows of positions: x_t patches {@code [n, P]} (zero at text positions) and
     * image ids (-1 for text; 0..N-1).
     */
    void feed(String prefix, boolean[] isImage, float[] patches, int[] imageId, Map<String, INDArray> ph);
}
