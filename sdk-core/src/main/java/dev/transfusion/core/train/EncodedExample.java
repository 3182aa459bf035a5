package dev.transfusion.core.train;

import dev.transfusion.api.spi.Latent;
import dev.transfusion.core.data.EncodedDocument;

/** One encoded training example: a caption/image pair (laid out per draw) or a fixed document. */
public sealed interface EncodedExample {

    /** A caption and its image; {@link dev.transfusion.core.data.PairBuilder} picks the layout each time. */
    record Pair(int[] caption, Latent image) implements EncodedExample {
    }

    /** A document used as it is (text, interleaved, or a question-answer document). */
    record Doc(EncodedDocument document) implements EncodedExample {
    }
}
