package dev.transfusion.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ordered list of parts: what the model reads in training and what a prompt is at generation time.
 * For example {@code Document.of(text("a red circle"), image(img))} is a caption followed by its image.
 *
 * @param parts the parts in reading order; may be empty (an unconditional prompt)
 */
public record Document(List<Part> parts) {

    public Document {
        parts = List.copyOf(Objects.requireNonNull(parts, "parts"));
    }

    /** A document of the given parts. */
    public static Document of(Part... parts) {
        return new Document(List.of(parts));
    }

    /** A document holding one text part. */
    public static Document text(String text) {
        return of(new TextPart(text));
    }

    /** A builder that appends parts in order. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Document} part by part. */
    public static final class Builder {
        private final List<Part> parts = new ArrayList<>();

        private Builder() {
        }

        /** Appends a text part. */
        public Builder text(String text) {
            parts.add(new TextPart(text));
            return this;
        }

        /** Appends an image part. */
        public Builder image(RgbImage image) {
            parts.add(new ImagePart(image));
            return this;
        }

        /** Appends any part. */
        public Builder part(Part part) {
            parts.add(Objects.requireNonNull(part, "part"));
            return this;
        }

        /** The document of the parts appended so far. */
        public Document build() {
            return new Document(parts);
        }
    }
}
