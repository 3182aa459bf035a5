package dev.transfusion.server;

import com.google.protobuf.ByteString;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.server.v1.ImageData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Images on the wire: {@link ImageData} (PNG or JPEG bytes) to {@link RgbImage} and back (always PNG).
 * Decoding reads the header first and refuses an image over {@link RgbImage#MAX_PIXELS} before any pixel is
 * decoded, so that a small compressed "bomb" cannot make the server allocate gigabytes.
 */
public final class ImageDataCodec {
    /** The mime type of PNG. */
    public static final String PNG = "image/png";
    /** The mime type of JPEG. */
    public static final String JPEG = "image/jpeg";

    static {
        ImageIO.setUseCache(false);   // decode in memory: no temporary files per request
    }

    private ImageDataCodec() {
    }

    /**
     * Decodes {@code data}; {@code field} names it in errors ({@code "prompt[1].image"}, say).
     *
     * @throws InvalidInputException naming the field: empty bytes, an unsupported or mismatched mime type,
     *                               bytes that are not PNG/JPEG, too many pixels, or a corrupt image
     */
    public static RgbImage decode(ImageData data, String field) {
        String declared = data.getMimeType().trim().toLowerCase(Locale.ROOT);
        if (!declared.isEmpty() && !declared.equals(PNG) && !declared.equals(JPEG) && !declared.equals("image/jpg")) {
            throw new InvalidInputException(field + ".mime_type '" + data.getMimeType()
                    + "' is not supported; use image/png or image/jpeg");
        }
        if (data.getData().isEmpty()) {
            throw new InvalidInputException(field + ".data is empty");
        }
        byte[] bytes = data.getData().toByteArray();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidInputException(field + ".data (" + bytes.length
                        + " bytes) is not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                String actual = mimeOf(reader.getFormatName());
                if (actual == null) {
                    throw new InvalidInputException(field + ".data is a " + reader.getFormatName().toUpperCase(Locale.ROOT)
                            + " image; send image/png or image/jpeg");
                }
                if (!declared.isEmpty() && !actual.equals(declared.equals("image/jpg") ? JPEG : declared)) {
                    throw new InvalidInputException(field + ".mime_type says " + declared + " but the bytes are "
                            + actual);
                }
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || (long) width * height > RgbImage.MAX_PIXELS) {
                    throw new InvalidInputException(field + " is " + width + "x" + height
                            + " pixels, over the limit of " + RgbImage.MAX_PIXELS);
                }
                BufferedImage image = reader.read(0);
                return RgbImage.fromPackedRgb(width, height, image.getRGB(0, 0, width, height, null, 0, width));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException iie) {
                throw iie;
            }
            throw new InvalidInputException(field + ".data cannot be decoded: " + reason(e), e);
        }
    }

    /**
     * The message and, when there is one, the innermost cause's: ImageIO wraps what is wrong ("Image width == 0!")
     * in a generic one ("I/O error reading PNG header!").
     */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(e.getMessage());
        return root == e || root.getMessage() == null || message.contains(root.getMessage()) ? message
                : message + " (" + root.getMessage() + ")";
    }

    /** {@code image} as PNG bytes. */
    public static ImageData encode(RgbImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, image.width(), image.height(), image.toPackedRgb(), 0, image.width());
        ByteString.Output bytes = ByteString.newOutput();
        try {
            if (!ImageIO.write(out, "png", bytes)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ImageData.newBuilder().setData(bytes.toByteString()).setMimeType(PNG).build();
    }

    private static @Nullable String mimeOf(String formatName) {
        return switch (formatName.toLowerCase(Locale.ROOT)) {
            case "png" -> PNG;
            case "jpeg", "jpg" -> JPEG;
            default -> null;
        };
    }
}
