package dev.transfusion.api;

import java.util.Objects;

/**
 * One training example as a data set gives it, before the engine tokenizes and encodes it (the engine's
 * encoded form is {@code EncodedExample}). Data sets found by name ({@link dev.transfusion.api.spi.DataSetProvider})
 * and the files a user names both yield these. The continuous part of a pair or a question may be of any
 * registered continuous modality (an image, an audio clip, ...).
 */
public sealed interface TrainingExample {

    /**
     * A caption and its part (trained as text-to-part, part-to-text, and unconditional).
     *
     * @param caption the caption
     * @param part    an image, or a part of another continuous modality
     */
    record Pair(String caption, Part part) implements TrainingExample {
        public Pair {
            Objects.requireNonNull(caption, "caption");
            Objects.requireNonNull(part, "part");
            if (part instanceof TextPart) {
                throw new InvalidInputException("a caption pair needs a continuous part, not text");
            }
        }

        /** A caption and its image. */
        public Pair(String caption, RgbImage image) {
            this(caption, new ImagePart(image));
        }

        /** The image, for a pair of an image. */
        public RgbImage image() {
            return ((ImagePart) part).image();
        }
    }

    /**
     * A question about a part and its answer: {@code [BOS, begin] part [end, question, answer, EOS]}.
     *
     * @param part an image, or a part of another continuous modality
     */
    record QuestionAnswer(Part part, String question, String answer) implements TrainingExample {
        public QuestionAnswer {
            Objects.requireNonNull(part, "part");
            Objects.requireNonNull(question, "question");
            Objects.requireNonNull(answer, "answer");
            if (part instanceof TextPart) {
                throw new InvalidInputException("a question needs a continuous part to ask about, not text");
            }
        }

        /** A question about an image. */
        public QuestionAnswer(RgbImage image, String question, String answer) {
            this(new ImagePart(image), question, answer);
        }

        /** The image, for a question about an image. */
        public RgbImage image() {
            return ((ImagePart) part).image();
        }
    }

    /** Any document, used as it is (text, or interleaved text and images). */
    record Doc(Document document) implements TrainingExample {
        public Doc {
            Objects.requireNonNull(document, "document");
        }
    }
}
