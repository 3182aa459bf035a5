package dev.transfusion.plugins.text;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.spi.DiscreteModalityPlugin;
import dev.transfusion.api.spi.Tokenizer;
import java.nio.file.Path;
import java.util.List;

/**
 * The "text" modality: byte-level BPE, GPT-2 style. Loads GPT-2's {@code encoder.json} + {@code vocab.bpe} and
 * Hugging Face byte-level BPE {@code tokenizer.json} files, trains new vocabularies, and saves in the
 * {@code tokenizer.json} layout. Every tokenizer it returns has {@link #DEFAULT_SPECIAL_TOKENS}.
 *
 * <p>Registered in {@code META-INF/services/dev.transfusion.api.spi.ModalityPlugin}.
 */
public final class BpeTextPlugin implements DiscreteModalityPlugin {
    /**
     * The special tokens every model needs: begin/end of sequence and padding (a continuous modality's begin and
     * end tokens come from its own plugin, through the engine: {@link BpeTokenizer#withSpecialTokens}). A loaded
     * vocabulary that lacks some gets them appended after its highest id; a trained one has them among its
     * first ids.
     */
    public static final List<String> DEFAULT_SPECIAL_TOKENS = List.of("<bos>", "<eos>", "<pad>");

    /** The plugin's version; tokenization changes only with it. */
    public static final String VERSION = "0.1.0";

    /** A plugin; {@link java.util.ServiceLoader} calls this. */
    public BpeTextPlugin() {}

    @Override
    public String modality() {
        return "text";
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String description() {
        return "Byte-level BPE text tokenizer (GPT-2 style); reads Hugging Face tokenizer.json (byte-level BPE) "
                + "and GPT-2 encoder.json + vocab.bpe, writes tokenizer.json";
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code path} is a {@code tokenizer.json}, GPT-2's {@code encoder.json} or {@code vocab.bpe} (the other
     * one must lie beside it), or a directory holding {@code tokenizer.json} or both GPT-2 files.
     *
     * @throws PluginException naming the path and what was expected, for a missing file, malformed JSON, or a
     *     tokenizer that is not byte-level BPE
     */
    @Override
    public Tokenizer loadTokenizer(Path path) {
        return TokenizerLoader.load(path);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Any of {@link #DEFAULT_SPECIAL_TOKENS} missing from {@code specialTokens} follow them, so with an empty
     * list the ids are {@code <bos>}=0 ... {@code <pad>}=4.
     *
     * @throws InvalidInputException when {@code vocabSize} is below 256 plus the special tokens, or more than
     *     the texts can fill
     */
    @Override
    public Tokenizer trainTokenizer(Iterable<String> texts, int vocabSize, List<String> specialTokens) {
        return BpeTrainer.train(texts, vocabSize, specialTokens);
    }

    @Override
    public Tokenizer trainTokenizerUpTo(Iterable<String> texts, int maxVocabSize, List<String> specialTokens) {
        return BpeTrainer.train(texts, maxVocabSize, specialTokens, true);
    }
}
