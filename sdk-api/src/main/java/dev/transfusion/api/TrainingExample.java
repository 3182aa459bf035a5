package dev.transfusion.core.runtime;

import dev.transfusion.api.Document;
import dev.transfusion.api.RgbImage;

/** A training example before encoding: what a corpus yields. */
public sealed interface RawExample {

    /** A caption and its image (trained as text-to-image, image-to-text, and unconditional). */
    record Pair(String caption, RgbImage image) implements RawExample {
    }

    /** A question about an image and its answer: {@code [BOS, BOI] image [EOI, question, answer, EOS]}. */
    record QuestionAnswer(RgbImage image, String question, String answer) implements RawExample {
    }

    /** Any document, used as it is (text, or interleaved text and images). */
    record Doc(Document document) implements RawExample {
    }
}
