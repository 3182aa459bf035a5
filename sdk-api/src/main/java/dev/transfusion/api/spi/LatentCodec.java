package dev.transfusion.api.spi;

import dev.transfusion.api.Part;

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

    /** Frees native memory held by the codec. */
    @Override
    default void close() {
    }
}
