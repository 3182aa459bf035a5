package dev.transfusion.server;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.ModalityData;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The parts of other modalities in one request ({@code ModalityData}), checked on the gRPC thread before
 * anything is decoded: each names a modality the model reads, carries either encoded bytes its plugin reads or
 * raw values that fit their shape, and all of them together stay within the {@link PayloadLimits}. A part of
 * the image modality is an image like any other: it is counted in the request's {@link RequestBudget} and
 * decoded as one. Then {@link #decode} turns each into the SDK's part, on the decoding pool when a plugin
 * must read bytes ({@link #needsPool}).
 */
final class RequestParts {
    /** A part of the request and the wire field that holds it ({@code "prompt[3].part"}). */
    record Named(String field, ModalityData data) {
    }

    private final PluginParts plugins;
    private final List<RequestImages.Named> images;
    private final boolean pluginBytes;

    private RequestParts(PluginParts plugins, List<RequestImages.Named> images, boolean pluginBytes) {
        this.plugins = plugins;
        this.images = images;
        this.pluginBytes = pluginBytes;
    }

    /** The parts among {@code chunks}, named {@code field[i].part}. */
    static List<Named> inChunks(List<Chunk> chunks, String field) {
        List<Named> out = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i).hasPart()) {
                out.add(new Named(field + "[" + i + "].part", chunks.get(i).getPart()));
            }
        }
        return out;
    }

    /**
     * Checks {@code parts} against the model's {@code modalities}, the server's plugins and {@code limits}.
     *
     * @throws InvalidInputException naming the field at fault
     */
    static RequestParts check(List<Named> parts, Set<String> modalities, PayloadLimits limits, PluginParts plugins) {
        List<RequestImages.Named> images = new ArrayList<>();
        boolean pluginBytes = false;
        long bytes = 0;
        long values = 0;
        for (Named n : parts) {
            ModalityData d = n.data();
            String field = n.field();
            ModalityDataCodec.checkForm(d, field);
            String m = d.getModality();
            if (m.equals("text")) {
                throw new InvalidInputException(field + ".modality is 'text': send text as a text chunk");
            }
            if (!modalities.contains(m)) {
                throw new InvalidInputException(field + ".modality '" + m + "' is not one the model reads; it reads "
                        + new TreeSet<>(modalities));
            }
            if (m.equals(ImagePart.MODALITY)) {
                // an image: checked and decoded as the image fields are (RequestImages), under their limits
                ModalityDataCodec.requireEncodedImage(d, field);
                images.add(new RequestImages.Named(field, ModalityDataCodec.asImage(d)));
                continue;
            }
            if (ModalityDataCodec.isEncoded(d)) {
                bytes += d.getData().size();
                if (bytes > limits.maxBytes()) {
                    throw new InvalidInputException(field + ".data holds " + d.getData().size() + " bytes, which "
                            + "takes the request's encoded parts to " + bytes + " bytes, over the limit of "
                            + limits.maxBytes());
                }
                ContinuousModalityPlugin plugin = plugins.filePlugin(m);
                if (plugin == null) {
                    throw new InvalidInputException(field + ".data: the server has no plugin that reads '" + m
                            + "' files; send the part as raw shape and values");
                }
                ModalityDataCodec.extensionOf(d.getMimeType(), plugin.fileExtensions(), m, field);
                pluginBytes = true;
            } else {
                values += d.getValuesCount();
                if (values > limits.maxValues()) {
                    throw new InvalidInputException(field + ".values holds " + d.getValuesCount() + " values, which "
                            + "takes the request's raw parts to " + values + " values, over the limit of "
                            + limits.maxValues());
                }
            }
        }
        return new RequestParts(plugins, List.copyOf(images), pluginBytes);
    }

    /**
     * The modality {@code MODE_IMAGE} draws ({@code GenerateRequest.modality}): null, the model's image, when
     * empty, else one of the model's continuous {@code modalities}.
     *
     * @throws InvalidInputException naming the field and the model's modalities
     */
    static @Nullable String drawn(String modality, Set<String> modalities) {
        if (modality.isEmpty()) {
            return null;
        }
        if (modality.equals("text") || !modalities.contains(modality)) {
            throw new InvalidInputException("modality '" + modality + "' is not a continuous modality the model "
                    + "draws; it reads " + new TreeSet<>(modalities));
        }
        return modality;
    }

    /** The image-modality parts, to be checked and decoded with the request's other images. */
    List<RequestImages.Named> images() {
        return images;
    }

    /** Whether decoding reads files (a plugin's bytes) or images, which is done on the decoding pool. */
    boolean needsPool() {
        return pluginBytes || !images.isEmpty();
    }

    /**
     * The SDK part of a checked {@code d}: an image decoded by {@code decodedImages}, bytes read by their
     * plugin, raw values as a {@link dev.transfusion.api.ModalityPart}.
     *
     * @throws InvalidInputException naming the field when the bytes cannot be read
     */
    Part decode(ModalityData d, String field, RequestImages decodedImages) {
        if (d.getModality().equals(ImagePart.MODALITY)) {
            return new ImagePart(decodedImages.decode(ModalityDataCodec.asImage(d), field));
        }
        if (!ModalityDataCodec.isEncoded(d)) {
            return ModalityDataCodec.rawPart(d);
        }
        ContinuousModalityPlugin plugin = plugins.filePlugin(d.getModality());
        if (plugin == null) {   // checked before; a registry cannot lose a plugin meanwhile
            throw new IllegalStateException("no plugin reads '" + d.getModality() + "' files");
        }
        String extension = ModalityDataCodec.extensionOf(d.getMimeType(), plugin.fileExtensions(), d.getModality(),
                field);
        Part p = plugins.read(plugin, d, extension, field);
        if (!p.modality().equals(d.getModality())) {
            throw new InvalidInputException(field + " of '" + d.getModality() + "' was read by its plugin as a '"
                    + p.modality() + "' part");
        }
        return p;
    }
}
