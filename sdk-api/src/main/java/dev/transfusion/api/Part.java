package dev.transfusion.api;

/**
 * One element of a {@link Document}: text, an image, or data of another registered modality.
 * Sealed so that a {@code when}/{@code switch} over parts is exhaustive.
 */
public sealed interface Part permits TextPart, ImagePart, ModalityPart {

    /** The modality name this part belongs to ({@code "text"}, {@code "image"}, or a plugin's name). */
    String modality();
}
