package dev.transfusion.server;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.Part;
import dev.transfusion.server.v1.ImageData;
import dev.transfusion.server.v1.ModalityData;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link ModalityData}, the wire's part of any continuous modality, to SDK parts and back, as far as no plugin
 * is needed: raw values and shape to a {@link ModalityPart}, an image's bytes to an {@link ImagePart}. Encoded
 * bytes of other modalities need that modality's plugin, which the server holds. Every error names the field.
 */
public final class ModalityDataCodec {
    /** MIME types of the file formats plugins write, by file extension; others read "application/x-EXT". */
    private static final Map<String, String> MIME_BY_EXTENSION = Map.of(
            "wav", "audio/wav", "flac", "audio/flac", "mp3", "audio/mpeg", "ogg", "audio/ogg",
            "png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "npy", "application/x-npy");

    private ModalityDataCodec() {
    }

    /** The raw wire form of {@code part}: its modality, shape and values. */
    public static ModalityData raw(ModalityPart part) {
        ModalityData.Builder b = ModalityData.newBuilder().setModality(part.modality());
        for (int d : part.shape()) {
            b.addShape(d);
        }
        for (float v : part.values()) {
            b.addValues(v);
        }
        return b.build();
    }

    /** An encoded part: {@code bytes} in the format {@code mimeType} names. */
    public static ModalityData encoded(String modality, byte[] bytes, String mimeType) {
        return ModalityData.newBuilder().setModality(modality)
                .setData(com.google.protobuf.ByteString.copyFrom(bytes)).setMimeType(mimeType).build();
    }

    /** Whether {@code d} carries encoded bytes (else raw values, or nothing). */
    public static boolean isEncoded(ModalityData d) {
        return !d.getData().isEmpty() || !d.getMimeType().isEmpty();
    }

    /** {@code d}'s bytes as an {@link ImageData}, for a part of the image modality. */
    public static ImageData asImage(ModalityData d) {
        return ImageData.newBuilder().setData(d.getData()).setMimeType(d.getMimeType()).build();
    }

    /**
     * Checks the form of {@code d}: a modality is named, and exactly one of encoded bytes and raw values is
     * given; raw values have a shape of positive dimensions whose product is their count, and are finite.
     *
     * @param field the wire field, {@code "prompt[2].part"}
     * @throws InvalidInputException naming the field at fault
     */
    public static void checkForm(ModalityData d, String field) {
        if (d.getModality().isBlank()) {
            throw new InvalidInputException(field + ".modality is empty: name the part's modality (\"audio\", ...)");
        }
        boolean raw = d.getShapeCount() > 0 || d.getValuesCount() > 0;
        if (isEncoded(d) && raw) {
            throw new InvalidInputException(field + " sets both data and values; send one: encoded data with its "
                    + "mime_type, or raw shape and values");
        }
        if (!isEncoded(d) && !raw) {
            throw new InvalidInputException(field + " has neither data nor values; send encoded data with its "
                    + "mime_type, or raw shape and values");
        }
        if (!raw) {
            if (d.getData().isEmpty()) {
                throw new InvalidInputException(field + ".data is empty (mime_type " + d.getMimeType() + ")");
            }
            return;
        }
        if (d.getShapeCount() == 0) {
            throw new InvalidInputException(field + ".shape is empty: raw values need their shape");
        }
        long n = 1;
        for (int i = 0; i < d.getShapeCount(); i++) {
            if (d.getShape(i) <= 0) {
                throw new InvalidInputException(field + ".shape[" + i + "] must be positive, got " + d.getShape(i));
            }
            n = Math.min(n * d.getShape(i), Integer.MAX_VALUE + 1L);   // capped: the product never wraps
        }
        if (n != d.getValuesCount()) {
            throw new InvalidInputException(field + ".shape " + d.getShapeList() + " needs "
                    + (n > Integer.MAX_VALUE ? "more than " + Integer.MAX_VALUE : String.valueOf(n)) + " values, "
                    + field + ".values has " + d.getValuesCount());
        }
        for (int i = 0; i < d.getValuesCount(); i++) {
            if (!Float.isFinite(d.getValues(i))) {
                throw new InvalidInputException(field + ".values[" + i + "] is " + d.getValues(i)
                        + "; values must be finite");
            }
        }
    }

    /** The {@link ModalityPart} of raw {@code d}, whose form {@link #checkForm} passed. */
    public static ModalityPart rawPart(ModalityData d) {
        int[] shape = d.getShapeList().stream().mapToInt(Integer::intValue).toArray();
        float[] values = new float[d.getValuesCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = d.getValues(i);
        }
        return new ModalityPart(d.getModality(), shape, values);
    }

    /**
     * The part {@code d} carries, without plugins: raw values as a {@link ModalityPart}, image bytes as an
     * {@link ImagePart}.
     *
     * @throws InvalidInputException naming the field, also for encoded bytes of another modality
     */
    public static Part toPart(ModalityData d, String field) {
        checkForm(d, field);
        if (isEncoded(d)) {
            if (d.getModality().equals(ImagePart.MODALITY)) {
                return new ImagePart(ImageDataCodec.decode(asImage(d), field));
            }
            throw new InvalidInputException(field + " holds " + d.getMimeType() + " bytes of '" + d.getModality()
                    + "', which only that modality's plugin reads; ask for raw values (GenerateRequest.raw_parts)");
        }
        requireEncodedImage(d, field);
        return rawPart(d);
    }

    /**
     * Refuses raw values for the image modality, whose parts travel as PNG or JPEG.
     *
     * @throws InvalidInputException naming the field
     */
    public static void requireEncodedImage(ModalityData d, String field) {
        if (d.getModality().equals(ImagePart.MODALITY) && !isEncoded(d)) {
            throw new InvalidInputException(field + ": an image part is sent encoded (data with mime_type "
                    + ImageDataCodec.PNG + " or " + ImageDataCodec.JPEG + "), not as values");
        }
    }

    /** The MIME type of a file format by its extension ({@code "wav"} is {@code "audio/wav"}). */
    public static String mimeOf(String extension) {
        String e = extension.toLowerCase(Locale.ROOT);
        return MIME_BY_EXTENSION.getOrDefault(e, "application/x-" + e);
    }

    /**
     * The extension among {@code extensions} (a plugin's, the first its default) that {@code mimeType} names;
     * empty names the first. {@code audio/x-wav} and {@code audio/wave} are read as {@code audio/wav}.
     *
     * @throws InvalidInputException naming {@code field.mime_type} when the plugin reads no such format
     */
    public static String extensionOf(String mimeType, List<String> extensions, String modality, String field) {
        String m = mimeType.trim().toLowerCase(Locale.ROOT);
        if (m.isEmpty()) {
            return extensions.get(0);
        }
        if (m.equals("audio/x-wav") || m.equals("audio/wave") || m.equals("audio/vnd.wave")) {
            m = "audio/wav";
        }
        for (String e : extensions) {
            if (mimeOf(e).equals(m)) {
                return e;
            }
        }
        throw new InvalidInputException(field + ".mime_type '" + mimeType + "' is not a format the '" + modality
                + "' plugin reads; it reads " + Arrays.toString(extensions.stream().map(ModalityDataCodec::mimeOf)
                .distinct().toArray()));
    }
}
