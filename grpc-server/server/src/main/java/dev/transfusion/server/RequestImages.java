package dev.transfusion.server;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.ImageHeader;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.ImageData;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * The images of one request, counted and sized from their headers before any is decoded: a request over its
 * {@link RequestBudget} (too many images, too many pixels together) is refused at the cost of reading a few
 * header bytes. Decoding then stops when the request's {@link Cancellation} is set (deadline, client gone, the
 * decoding time budget). Public for the HTTP port ({@code dev.transfusion.server.http}), which checks its images
 * the same way.
 */
public final class RequestImages {
    /** An image of the request and the wire field that holds it ({@code "prompt[3].image"}). */
    public record Named(String field, ImageData data) {
    }

    private final List<Named> images;
    private final Cancellation stop;

    private RequestImages(List<Named> images, Cancellation stop) {
        this.images = images;
        this.stop = stop;
    }

    /** The images among {@code chunks}, named {@code field[i].image}. */
    static List<Named> inChunks(List<Chunk> chunks, String field) {
        List<Named> out = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i).hasImage()) {
                out.add(new Named(field + "[" + i + "].image", chunks.get(i).getImage()));
            }
        }
        return out;
    }

    /**
     * Checks {@code images} against {@code budget} from their headers.
     *
     * @param stop set when decoding must stop
     * @throws InvalidInputException          naming the field of an image that is no PNG/JPEG, or when there
     *                                        are more images than the budget allows
     * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED when their pixels together exceed the budget
     */
    public static RequestImages check(List<Named> images, RequestBudget budget, Cancellation stop) {
        if (images.size() > budget.maxImages()) {
            throw new InvalidInputException("the request holds " + images.size() + " images; at most "
                    + budget.maxImages() + " are accepted in one request");
        }
        long pixels = 0;
        for (Named n : images) {
            ImageHeader h = ImageDataCodec.header(n.data(), n.field());
            pixels += h.pixels();
            if (pixels > budget.maxPixels()) {
                throw Status.RESOURCE_EXHAUSTED.withDescription("the request's images reach " + pixels
                        + " pixels at " + n.field() + " (" + h.width() + "x" + h.height() + "), over the limit of "
                        + budget.maxPixels() + " pixels for all the images of one request").asRuntimeException();
            }
        }
        return new RequestImages(List.copyOf(images), stop);
    }

    /** Whether there is anything to decode. */
    public boolean isEmpty() {
        return images.isEmpty();
    }

    /**
     * Decodes one of the checked images.
     *
     * @throws java.util.concurrent.CancellationException when the request's decoding was stopped
     */
    public RgbImage decode(ImageData data, String field) {
        return ImageDataCodec.decode(data, field, RgbImage.MAX_PIXELS, stop);
    }
}
