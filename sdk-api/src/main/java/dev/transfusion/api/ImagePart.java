package dev.transfusion.api;

import java.util.Objects;

/**
 * An image inside a document.
 *
 * @param image the pixels
 */
public record ImagePart(RgbImage image) implements Part {
    /** The modality name of image parts. */
    public static final String MODALITY = "image";

    public ImagePart {
        Objects.requireNonNull(image, "image");
    }

    @Override
    public String modality() {
        return MODALITY;
    }
}
