package dev.transfusion.api.spi;

import java.nio.file.Path;
import java.util.List;

/** A modality of discrete tokens, such as text. */
public non-sealed interface DiscreteModalityPlugin extends ModalityPlugin {

    /**
     * Loads a tokenizer from a file or directory in any format the plugin supports.
     *
     * @throws dev.transfusion.api.PluginException naming the file when it cannot be read
     */
    Tokenizer loadTokenizer(Path path);

    /**
     * Learns a vocabulary of {@code vocabSize} entries from {@code texts}; {@code specialTokens} come
     * first, with ids 0, 1, ... in the given order, and are never split or merged.
     */
    Tokenizer trainTokenizer(Iterable<String> texts, int vocabSize, List<String> specialTokens);

    /**
     * As {@link #trainTokenizer}, but a vocabulary the texts cannot fill stops short of {@code maxVocabSize}
     * instead of failing: a small data set then trains with the vocabulary it supports. The default cannot stop
     * early and asks for {@code maxVocabSize} exactly.
     */
    default Tokenizer trainTokenizerUpTo(Iterable<String> texts, int maxVocabSize, List<String> specialTokens) {
        return trainTokenizer(texts, maxVocabSize, specialTokens);
    }
}
