package dev.transfusion.samples;

import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.ModalityPlugin;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.api.spi.Tokenizer;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The plugin registry and a tokenizer through the public API, in Java (the Kotlin twin is
 * {@code TokenizeSample.kt}): list the modalities, train a tiny tokenizer, encode and decode a sentence,
 * stream its tokens to a listener, and build generation options.
 *
 * <p>Run it with {@code java -cp 'samples/target/classes:samples/target/lib/*' dev.transfusion.samples.TokenizeSample}.
 */
public final class TokenizeSample {

    /** What the tokenizer learns from; a real one trains on a corpus of megabytes. */
    static final List<String> TEXTS = List.of(
            "A red circle above a blue square.",
            "A small green triangle left of a large red circle.",
            "Two blue squares and one green circle on a white background.",
            "The circle is red; the square is blue; the triangle is green.",
            "A large blue triangle below a small red square.");

    /** The sentence the sample tokenizes. */
    static final String SENTENCE = "A green circle left of a red square.";

    /** 256 byte tokens + 5 special tokens + 60 merges learned from {@link #TEXTS}. */
    static final int VOCAB_SIZE = 321;

    private TokenizeSample() {
    }

    /** Prints the walk-through on standard output. */
    public static void main(String[] args) {
        run(System.out);
    }

    /** Prints the walk-through on {@code out}. */
    public static void run(PrintStream out) {
        ModalityRegistry registry = Transfusion.registry();
        out.println("modalities: " + registry.modalities());
        for (String name : registry.modalities()) {
            ModalityPlugin plugin = registry.plugin(name);
            // ModalityPlugin is sealed: a modality is either discrete (a tokenizer) or continuous (a codec)
            String kind = plugin instanceof ContinuousModalityPlugin c
                    ? "continuous, " + c.beginToken() + " ... " + c.endToken()
                    : "discrete";
            out.println("  " + name + " (" + kind + ", version " + plugin.version() + "): " + plugin.description());
        }

        // an empty list: the plugin's default special tokens <bos>, <eos>, <boi>, <eoi>, <pad> take ids 0..4
        Tokenizer tokenizer = registry.discrete("text").trainTokenizer(TEXTS, VOCAB_SIZE, List.of());
        out.println("tokenizer: " + tokenizer.vocabSize() + " ids, special tokens " + tokenizer.specialTokens());
        Integer bos = tokenizer.specialTokenId("<bos>");
        Integer mask = tokenizer.specialTokenId("<mask>"); // null: this vocabulary has no <mask>
        out.println("<bos> = " + bos + ", <mask> = " + (mask == null ? "absent" : mask));

        int[] ids = tokenizer.encode(SENTENCE);
        out.println("sentence: " + SENTENCE);
        out.println("ids: " + Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
        out.println("decoded: " + tokenizer.decode(ids));

        // A model streams its output to a listener one token at a time; here we play the model's part.
        StringBuilder streamed = new StringBuilder();
        GenerationListener listener = GenerationListener.ofTokens((id, text) -> streamed.append(text));
        for (int id : ids) {
            listener.onToken(id, tokenizer.decode(new int[] {id}));
        }
        out.println("streamed: " + streamed);

        GenerationOptions options = GenerationOptions.builder()
                .maxTokens(64)
                .temperature(0.8)
                .topK(40)
                .seed(7L)
                .stop(List.of("."))
                .build();
        out.println("options: " + options);
    }
}
