package dev.transfusion.api;

import java.util.Objects;

/**
 * One training example as a data set gives it, before the engine tokenizes and encodes it (the engine's
 * encoded form is {@code EncodedExample}). Data sets found by name ({@link dev.transfusion.api.spi.DataSetProvider})
 * and the files a user names both yield these.
 */
public sealed interface TrainingExample {

    /** A caption and its image (trained as text-to-image, image-to-text, and unconditional). */
    record Pair(String caption, RgbImage image) implements TrainingExample {
        public Pair {
            Objects.requireNonNull(caption, "caption");
            Objects.requireNonNull(image, "image");
        }
    }

    /** A question about an image and its answer: {@code [BOS, BOI] image [EOI, question, answer, EOS]}. */
    record QuestionAnswer(RgbImage image, String question, String answer) implements TrainingExample {
        public QuestionAnswer {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(question, "question");
            Objects.requireNonNull(answer, "answer");
        }
    }

    /** Any document, used as it is (text, or interleaved text and images). */
    record Doc(Document document) implements TrainingExample {
        public Doc {
            Objects.requireNonNull(document, "document");
        }
    }
}
