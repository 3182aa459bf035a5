package dev.transfusion.server;

import dev.transfusion.api.Document;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.ImageData;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** A prompt on the wire ({@code repeated Chunk}) to a {@link Document} and back. */
public final class PromptChunks {
    private PromptChunks() {
    }

    /**
     * The document of {@code chunks}; {@code field} names them in errors ({@code "prompt"}, say).
     *
     * @param allowEmpty whether no content at all is acceptable (a scoring context may be empty; a prompt not)
     * @throws InvalidInputException naming the chunk at fault
     */
    public static Document toDocument(List<Chunk> chunks, String field, boolean allowEmpty) {
        return toDocument(chunks, field, allowEmpty, ImageDataCodec::decode);
    }

    /** As {@link #toDocument(List, String, boolean)}, decoding images with {@code images}. */
    static Document toDocument(List<Chunk> chunks, String field, boolean allowEmpty,
                               BiFunction<ImageData, String, RgbImage> images) {
        List<Part> parts = new ArrayList<>(chunks.size());
        boolean content = false;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            String at = field + "[" + i + "]";
            switch (c.getKindCase()) {
                case TEXT -> {
                    parts.add(new TextPart(c.getText()));
                    content |= !c.getText().isEmpty();
                }
                case IMAGE -> {
                    parts.add(new ImagePart(images.apply(c.getImage(), at + ".image")));
                    content = true;
                }
                default -> throw new InvalidInputException(at + " has neither text nor image");
            }
        }
        if (!content && !allowEmpty) {
            throw new InvalidInputException(field + " is empty: give at least one non-empty text or image chunk");
        }
        return new Document(parts);
    }

    /**
     * The chunks of {@code document}: text as text, images as PNG.
     *
     * @throws InvalidInputException for a part of a modality other than text and image
     */
    public static List<Chunk> fromDocument(Document document) {
        List<Chunk> chunks = new ArrayList<>(document.parts().size());
        for (Part p : document.parts()) {
            if (p instanceof TextPart t) {
                chunks.add(Chunk.newBuilder().setText(t.text()).build());
            } else if (p instanceof ImagePart im) {
                chunks.add(Chunk.newBuilder().setImage(ImageDataCodec.encode(im.image())).build());
            } else if (p instanceof ModalityPart m) {
                throw new InvalidInputException("transfusion.v1 carries text and images only, not '"
                        + m.modality() + "' parts");
            }
        }
        return chunks;
    }
}
