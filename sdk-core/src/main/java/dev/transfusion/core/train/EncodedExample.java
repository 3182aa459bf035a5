package dev.transfusion.core.train;

import dev.transfusion.api.spi.Latent;
import dev.transfusion.core.data.EncodedDocument;

/** One encoded training example: a caption/image pair (laid out per draw) or a fixed document. */
public sealed interface EncodedExample {

    /**
     * A caption and its span's latent; {@link dev.transfusion.core.data.PairBuilder} picks the layout each time.
     *
     * @param modality the span's modality ("image", "audio", ...)
     */
    record Pair(int[] caption, String modality, Latent latent) implements EncodedExample {
        /** A caption and its image's latent. */
        public Pair(int[] caption, Latent image) {
            this(caption, dev.transfusion.api.ImagePart.MODALITY, image);
        }
    }

    /** A document used as it is (text, interleaved, or a question-answer document). */
    record Doc(EncodedDocument document) implements EncodedExample {
    }
}
