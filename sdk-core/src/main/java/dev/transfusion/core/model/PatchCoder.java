package dev.transfusion.core.model;

import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How one continuous modality's latents enter and leave the transformer: patches of x_t to {@code [B*T, D]}
 * inputs at that modality's positions, and the final hidden states back to predicted noise {@code [B*T, P_m]}.
 * Its parameter and placeholder names carry the modality's prefix ({@link ModalityConfig#prefix()}). One
 * instance serves one forward pass of a graph (the U-Net keeps its skip activations between encode and decode).
 */
interface PatchCoder {

    /** Modality {@code m}'s coder, building into {@code sd} (null: for its shapes and feeds only). */
    static PatchCoder of(TransfusionConfig c, ModalityConfig m, @Nullable SameDiff sd) {
        return switch (m.coder()) {
            case LINEAR -> new LinearPatchCoder(c, m, sd);
            case UNET -> new UNetPatchCoder(c, m, sd);
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
     * The coder's placeholders for rows of positions: x_t patches {@code [n, P_m]} (zero elsewhere), and span ids
     * (-1 where the position is not this modality's; 0..N_m-1 for its N_m spans).
     */
    void feed(String prefix, boolean[] isImage, float[] patches, int[] imageId, Map<String, INDArray> ph);
}
