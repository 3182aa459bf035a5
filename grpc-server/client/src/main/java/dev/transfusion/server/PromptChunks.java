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
import dev.transfusion.server.v1.ModalityData;
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
        return toDocument(chunks, field, allowEmpty, ImageDataCodec::decode, ModalityDataCodec::toPart);
    }

    /**
     * As {@link #toDocument(List, String, boolean)}, decoding images with {@code images} and parts of other
     * modalities with {@code parts} (each given the wire part and its field, {@code "prompt[2].part"}).
     */
    static Document toDocument(List<Chunk> chunks, String field, boolean allowEmpty,
                               BiFunction<ImageData, String, RgbImage> images,
                               BiFunction<ModalityData, String, Part> parts) {
        List<Part> out = new ArrayList<>(chunks.size());
        boolean content = false;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            String at = field + "[" + i + "]";
            switch (c.getKindCase()) {
                case TEXT -> {
                    out.add(new TextPart(c.getText()));
                    content |= !c.getText().isEmpty();
                }
                case IMAGE -> {
                    out.add(new ImagePart(images.apply(c.getImage(), at + ".image")));
                    content = true;
                }
                case PART -> {
                    out.add(decodePart(c.getPart(), at + ".part", parts));
                    content = true;
                }
                default -> throw new InvalidInputException(at + " has neither text, image nor part");
            }
        }
        if (!content && !allowEmpty) {
            throw new InvalidInputException(field + " is empty: give at least one non-empty text or image chunk");
        }
        return new Document(out);
    }

    private static Part decodePart(ModalityData d, String field, BiFunction<ModalityData, String, Part> decoder) {
        Part p = decoder.apply(d, field);
        if (!p.modality().equals(d.getModality())) {   // a plugin that read its bytes as another modality
            throw new InvalidInputException(field + " of '" + d.getModality() + "' was read as a '" + p.modality()
                    + "' part");
        }
        return p;
    }

    /** The chunks of {@code document}: text as text, images as PNG, parts of other modalities as raw values. */
    public static List<Chunk> fromDocument(Document document) {
        List<Chunk> chunks = new ArrayList<>(document.parts().size());
        for (Part p : document.parts()) {
            if (p instanceof TextPart t) {
                chunks.add(Chunk.newBuilder().setText(t.text()).build());
            } else if (p instanceof ImagePart im) {
                chunks.add(Chunk.newBuilder().setImage(ImageDataCodec.encode(im.image())).build());
            } else if (p instanceof ModalityPart m) {
                chunks.add(Chunk.newBuilder().setPart(ModalityDataCodec.raw(m)).build());
            }
        }
        return chunks;
    }
}
