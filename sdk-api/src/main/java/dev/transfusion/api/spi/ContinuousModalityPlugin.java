package dev.transfusion.api.spi;

import java.nio.file.Path;

/** A modality of continuous data, such as images, that a frozen codec turns into latent grids. */
public non-sealed interface ContinuousModalityPlugin extends ModalityPlugin {

    /** The token that opens a span of this modality in a sequence, e.g. {@code <boi>}. */
    String beginToken();

    /** The token that closes a span, e.g. {@code <eoi>}. */
    String endToken();

    /**
     * Loads a trained codec from a directory.
     *
     * @throws dev.transfusion.api.PluginException naming the file when it cannot be read
     */
    LatentCodec loadCodec(Path directory);
}
