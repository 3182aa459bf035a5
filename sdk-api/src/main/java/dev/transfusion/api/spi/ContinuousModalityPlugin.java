package dev.transfusion.api.spi;

import dev.transfusion.api.Part;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.TrainingListener;
import java.nio.file.Path;
import java.util.List;

/**
 * A modality of continuous data, such as images or audio, that a frozen codec turns into latent grids. Each
 * such modality gets its own begin and end tokens in the vocabulary and its own patch encoder, decoder and
 * timestep embedding in the transformer.
 */
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

    /**
     * The file name extensions (lower case, without the dot) {@link #readFile} reads; the first is the one
     * {@link #writeFile} writes. Empty: the plugin reads no files.
     */
    default List<String> fileExtensions() {
        return List.of();
    }

    /**
     * Reads a file of this modality (a {@code .wav}, a {@code .png}, ...) into a part, so that data files can
     * name it.
     *
     * @throws dev.transfusion.api.InvalidInputException naming the file when it cannot be read
     */
    default Part readFile(Path file) {
        throw new PluginException("the '" + modality() + "' plugin reads no files (asked to read " + file + ")");
    }

    /** Writes a part of this modality to a file in the plugin's first format. */
    default void writeFile(Path file, Part part) {
        throw new PluginException("the '" + modality() + "' plugin writes no files (asked to write " + file + ")");
    }

    /**
     * Trains (or, for a frozen codec, just writes) a codec on {@code samples} into {@code outputDir}, which
     * {@link #loadCodec} then reads.
     *
     * @throws PluginException when the plugin has no codec to train
     */
    default void trainCodec(Iterable<Part> samples, Path outputDir, CodecTraining options, TrainingListener listener) {
        throw new PluginException("the '" + modality() + "' plugin has no codec to train");
    }
}
