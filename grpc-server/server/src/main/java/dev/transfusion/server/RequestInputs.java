package dev.transfusion.server;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.ImageData;
import dev.transfusion.server.v1.ModalityData;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The images and parts of one request, named by their wire fields, before anything is decoded; {@link #check}
 * checks them (parts against the model's modalities and the {@link PayloadLimits}, then every image, those sent
 * as parts too, against the {@link RequestBudget}).
 */
record RequestInputs(List<RequestImages.Named> images, List<RequestParts.Named> parts) {

    /** The images and parts among {@code chunks}, named {@code field[i].image} and {@code field[i].part}. */
    static RequestInputs inChunks(List<Chunk> chunks, String field) {
        return new RequestInputs(RequestImages.inChunks(chunks, field), RequestParts.inChunks(chunks, field));
    }

    /** One image, {@code field}, which must be present. */
    static RequestInputs image(boolean present, ImageData image, String field) {
        if (!present) {
            throw new InvalidInputException(field + " is missing");
        }
        return new RequestInputs(List.of(new RequestImages.Named(field, image)), List.of());
    }

    /** The subject of Caption or Answer: exactly one of {@code image} and {@code part}. */
    static RequestInputs subject(boolean hasImage, ImageData image, boolean hasPart, ModalityData part) {
        if (hasImage && hasPart) {
            throw new InvalidInputException("image and part are both set; send one of them");
        }
        if (!hasImage && !hasPart) {
            throw new InvalidInputException("image is missing: set image, or part for another modality");
        }
        return hasPart ? new RequestInputs(List.of(), List.of(new RequestParts.Named("part", part)))
                : image(true, image, "image");
    }

    /**
     * Checks the parts, then all the images.
     *
     * @param modalities the model's modalities, asked for only when there are parts
     */
    Checked check(Supplier<Set<String>> modalities, RequestBudget budget, PayloadLimits limits, PluginParts plugins,
                  Cancellation stop) {
        RequestParts p = RequestParts.check(parts, parts.isEmpty() ? Set.of() : modalities.get(), limits, plugins);
        List<RequestImages.Named> all = new ArrayList<>(images);
        all.addAll(p.images());
        return new Checked(RequestImages.check(all, budget, stop), p);
    }

    /** A request's images and parts once checked: decoded on the decoding pool when {@link #needsPool}. */
    record Checked(RequestImages images, RequestParts parts) {
        boolean needsPool() {
            return !images.isEmpty() || parts.needsPool();
        }

        /** The SDK part of one of the request's checked parts. */
        Part decode(ModalityData d, String field) {
            return parts.decode(d, field, images);
        }

        /** What Caption and Answer are about: the part when set, else the image. */
        Part subject(boolean isPart, ImageData image, ModalityData part) {
            return isPart ? decode(part, "part") : new ImagePart(images.decode(image, "image"));
        }
    }
}
