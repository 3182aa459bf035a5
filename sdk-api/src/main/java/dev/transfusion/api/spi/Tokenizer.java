package dev.transfusion.api.spi;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Text to token ids and back. Implementations are immutable and thread-safe. */
public interface Tokenizer {

    /** The ids of {@code text}; special-token strings inside it are encoded as plain text. */
    int[] encode(String text);

    /**
     * The most UTF-8 bytes that one token of {@link #encode}'s output stands for, or {@link Integer#MAX_VALUE}
     * when unknown. It lets the engine refuse a text that cannot fit a model's positions before encoding it,
     * so that an over-long prompt costs nothing.
     */
    default int maxTokenBytes() {
        return Integer.MAX_VALUE;
    }

    /**
     * The UTF-8 bytes token {@code id} stands for, or null when unknown (the default) or when the id is a special
     * token or unassigned. With them the engine keeps sampled text valid UTF-8: a byte-level vocabulary can
     * otherwise sample a lead byte followed by plain text, which decodes to U+FFFD.
     */
    default byte @Nullable [] tokenBytes(int id) {
        return null;
    }

    /** The text of {@code ids}; bytes that do not form valid UTF-8 decode to U+FFFD. */
    String decode(int[] ids);

    /** The number of ids, special tokens included. */
    int vocabSize();

    /** The reserved tokens, in id order of registration (e.g. {@code <bos>}, {@code <eos>}, ...). */
    List<String> specialTokens();

    /** The id of a special token, or null when this vocabulary lacks it. */
    @Nullable Integer specialTokenId(String token);

    /** Writes the tokenizer into {@code directory} in the plugin's own format, which {@code loadTokenizer} reads. */
    void save(Path directory);

    /**
     * This tokenizer with each of {@code tokens} it lacks added as a special token after its highest id (an
     * imported vocabulary that lacks a continuous modality's begin and end tokens, say); the ids it has keep
     * their meaning. The default cannot add any and fails naming the first missing one.
     *
     * @throws dev.transfusion.api.PluginException when a token is missing and cannot be added
     */
    default Tokenizer withSpecialTokens(List<String> tokens) {
        for (String t : tokens) {
            if (specialTokenId(t) == null) {
                throw new dev.transfusion.api.PluginException("this tokenizer lacks the special token " + t
                        + " and cannot add it");
            }
        }
        return this;
    }
}
