package dev.transfusion.api;

import java.util.Objects;

/**
 * A run of text.
 *
 * @param text the text, any Unicode
 */
public record TextPart(String text) implements Part {
    /** The modality name of text parts. */
    public static final String MODALITY = "text";

    public TextPart {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String modality() {
        return MODALITY;
    }
}
