package dev.transfusion.core.data;

import dev.transfusion.api.Document;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Training documents with random access, so that a batch can be a pure function of the training step
 * (index arithmetic, shuffling by index). Files are checked when a source is opened; images are
 * decoded when a document is fetched, and errors name the file (and line) at fault.
 */
public interface DocumentSource {

    /** Number of documents. */
    int size();

    /**
     * Document {@code index}, 0 .. size()-1.
     *
     * @throws dev.transfusion.api.InvalidInputException when its file cannot be read, naming it
     */
    Document get(int index);

    /** Where document {@code index} comes from, for messages (e.g. {@code metadata.jsonl line 4}). */
    String describe(int index);

    /** All documents in order, fetched lazily. */
    default Stream<Document> stream() {
        return IntStream.range(0, size()).mapToObj(this::get);
    }
}
