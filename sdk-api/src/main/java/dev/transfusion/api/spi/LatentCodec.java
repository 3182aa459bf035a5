package dev.transfusion.api.spi;

import dev.transfusion.api.Part;
import org.jspecify.annotations.Nullable;

/** A frozen encoder and decoder between a modality's parts and latent grids. */
public interface LatentCodec extends AutoCloseable {

    /** Encodes a part (of this codec's modality) to its latent {@code [C, H, W]}. */
    Latent encode(Part part);

    /** Decodes a latent back to a part. */
    Part decode(Latent latent);

    /** Latent channels C. */
    int latentChannels();

    /** How the latent grid is cut into patches for the transformer. */
    PatchGeometry geometry();

    /**
     * The {@code [C, H, W]} of the latents this codec produces for generation, when it is fixed (a codec of
     * fixed-length clips, say); null when it follows the size of the data it encodes (images), in which case
     * the model uses the size of its training data's latents.
     */
    default int @Nullable [] latentShape() {
        return null;
    }

    /**
     * The {@code [min, max]} its latents span, when bounded (a normalised log-mel spectrogram, say): the samplers
     * clip their estimate of the clean latent to it at every step, which keeps a deterministic sampler from
     * running off the data. Null (the default): no clipping.
     */
    default float @Nullable [] latentRange() {
        return null;
    }

    /** Frees native memory held by the codec. */
    @Override
    default void close() {
    }
}
