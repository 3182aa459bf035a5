package dev.transfusion.server;

import com.google.protobuf.ByteString;
import dev.transfusion.api.Cancellation;
import dev.transfusion.api.ImageCodecs;
import dev.transfusion.api.ImageHeader;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.server.v1.ImageData;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Images on the wire: {@link ImageData} (PNG or JPEG bytes) to {@link RgbImage} and back (always PNG), with the
 * SDK's one decoder ({@link ImageCodecs}), so that a PNG gives the same pixels here as on the command line. Grey
 * stays grey both ways: a greyscale file is read as one channel, and a grey model's images go out as greyscale
 * PNGs.
 * The header is read first and an image over the pixel limit refused before any pixel is decoded, so that a
 * small compressed "bomb" cannot make the server allocate gigabytes.
 */
public final class ImageDataCodec {
    /** The mime type of PNG. */
    public static final String PNG = "image/png";
    /** The mime type of JPEG. */
    public static final String JPEG = "image/jpeg";

    private ImageDataCodec() {
    }

    /**
     * Decodes {@code data}; {@code field} names it in errors ({@code "prompt[1].image"}, say).
     *
     * @throws InvalidInputException naming the field: empty bytes, an unsupported or mismatched mime type,
     *                               bytes that are not PNG/JPEG, too many pixels, or a corrupt image
     */
    public static RgbImage decode(ImageData data, String field) {
        return decode(data, field, RgbImage.MAX_PIXELS, null);
    }

    /**
     * As {@link #decode(ImageData, String)}, with at most {@code maxPixels} and stopping when {@code cancel}
     * is set (then {@link java.util.concurrent.CancellationException}).
     */
    public static RgbImage decode(ImageData data, String field, long maxPixels, @Nullable Cancellation cancel) {
        byte[] bytes = checkedBytes(data, field);
        try {
            return ImageCodecs.decode(bytes, field, maxPixels, cancel);   // the CLI's decoder: the same pixels
        } catch (InvalidInputException e) {
            throw aboutTheBytes(e, field);
        }
    }

    /**
     * The header of {@code data}, no pixel decoded, after the same mime checks as {@link #decode}.
     *
     * @throws InvalidInputException naming the field
     */
    public static ImageHeader header(ImageData data, String field) {
        try {
            return ImageCodecs.header(checkedBytes(data, field), field);
        } catch (InvalidInputException e) {
            throw aboutTheBytes(e, field);
        }
    }

    /** "prompt[1].image.data cannot be decoded": corrupt bytes are the data field's fault, sizes the image's. */
    private static InvalidInputException aboutTheBytes(InvalidInputException e, String field) {
        String m = String.valueOf(e.getMessage());
        return m.startsWith(field + " cannot be decoded")
                ? new InvalidInputException(field + ".data" + m.substring(field.length()), e) : e;
    }

    private static byte[] checkedBytes(ImageData data, String field) {
        String declared = data.getMimeType().trim().toLowerCase(Locale.ROOT);
        if (!declared.isEmpty() && !declared.equals(PNG) && !declared.equals(JPEG) && !declared.equals("image/jpg")) {
            throw new InvalidInputException(field + ".mime_type '" + data.getMimeType()
                    + "' is not supported; use image/png or image/jpeg");
        }
        if (data.getData().isEmpty()) {
            throw new InvalidInputException(field + ".data is empty");
        }
        byte[] bytes = data.getData().toByteArray();
        String format = ImageCodecs.format(bytes);
        if (format == null) {
            throw new InvalidInputException(field + ".data (" + bytes.length + " bytes) is not a PNG or JPEG image");
        }
        String actual = mimeOf(format);
        if (actual == null) {
            throw new InvalidInputException(field + ".data is a " + format.toUpperCase(Locale.ROOT)
                    + " image; send image/png or image/jpeg");
        }
        if (!declared.isEmpty() && !actual.equals(declared.equals("image/jpg") ? JPEG : declared)) {
            throw new InvalidInputException(field + ".mime_type says " + declared + " but the bytes are " + actual);
        }
        return bytes;
    }

    /** {@code image} as PNG bytes. */
    public static ImageData encode(RgbImage image) {
        return ImageData.newBuilder().setData(ByteString.copyFrom(ImageCodecs.encodePng(image))).setMimeType(PNG)
                .build();
    }

    private static @Nullable String mimeOf(String formatName) {
        return switch (formatName.toLowerCase(Locale.ROOT)) {
            case "png" -> PNG;
            case "jpeg", "jpg" -> JPEG;
            default -> null;
        };
    }
}
