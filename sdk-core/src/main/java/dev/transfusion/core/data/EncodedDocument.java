package dev.transfusion.core.data;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.api.spi.Latent;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A document whose parts are already encoded: runs of token ids and latents of continuous modalities, in
 * reading order, special tokens included (e.g. {@code [BOS, caption.., BOI] image [EOI, EOS]}; the layout
 * rules live in {@link SequenceLayout}). The {@link SequencePacker} lays documents out into rows.
 *
 * @param segments the segments in order
 */
public record EncodedDocument(List<Segment> segments) {

    public EncodedDocument {
        segments = List.copyOf(Objects.requireNonNull(segments, "segments"));
    }

    /** A document of the given segments. */
    public static EncodedDocument of(Segment... segments) {
        return new EncodedDocument(List.of(segments));
    }

    /** Positions the document occupies in a row of a model of configuration {@code c} (its patch sizes). */
    public int length(TransfusionConfig c) {
        int n = 0;
        for (Segment s : segments) {
            n += s.length(c);
        }
        return n;
    }

    /** Number of continuous spans (images and other modalities). */
    public int imageCount() {
        return (int) segments.stream().filter(s -> s instanceof Image).count();
    }

    /** One run of a document: token ids or a span of a continuous modality. */
    public sealed interface Segment permits Tokens, Image {
        /** Positions this segment occupies in a model of configuration {@code c}. */
        int length(TransfusionConfig c);
    }

    /** Token ids (special tokens included). */
    public static Segment tokens(int... ids) {
        return new Tokens(ids);
    }

    /** An image whose step is drawn uniformly in [0, the packer's limit) and whose noise is fresh. */
    public static Segment image(Latent latent) {
        return new Image(ImagePart.MODALITY, latent, 0, -1, null);
    }

    /** An image whose step is drawn uniformly in [0, tLimit), overriding the packer's limit. */
    public static Segment image(Latent latent, int tLimit) {
        return new Image(ImagePart.MODALITY, latent, tLimit, -1, null);
    }

    /** A span of {@code modality} whose step is drawn in [0, tLimit) (0: the packer's limit), with fresh noise. */
    public static Segment span(String modality, Latent latent, int tLimit) {
        return new Image(modality, latent, tLimit, -1, null);
    }

    /**
     * An image noised at a fixed step {@code t}, with fixed noise when {@code noise} is not null
     * ([N, P] in patch order, like {@link PackedBatch#noise()}); for evaluation at a known t.
     */
    public static Segment imageAt(Latent latent, int t, float @Nullable [] noise) {
        return new Image(ImagePart.MODALITY, latent, 0, t, noise);
    }

    /**
     * A run of token ids.
     *
     * @param ids the ids, a copy is kept
     */
    public record Tokens(int[] ids) implements Segment {
        public Tokens {
            ids = ids.clone();
        }

        @Override
        public int[] ids() {
            return ids.clone();
        }

        /** The id at index i. */
        public int id(int i) {
            return ids[i];
        }

        @Override
        public int length(TransfusionConfig c) {
            return ids.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tokens t && Arrays.equals(t.ids, ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }

        @Override
        public String toString() {
            return "Tokens" + Arrays.toString(ids);
        }
    }

    /**
     * A latent of a continuous modality (an image, an audio clip, ...) and how it is noised when packed.
     *
     * @param modality the modality's name, one of the model's
     * @param latent the clean latent x0, [C, H, W]
     * @param tLimit when positive, t is drawn in [0, tLimit) instead of the packer's limit (image-first pairs)
     * @param t      a fixed step, or -1 to draw one
     * @param noise  fixed noise [N, P] in patch order, or null to draw N(0, 1) noise
     */
    public record Image(String modality, Latent latent, int tLimit, int t, float @Nullable [] noise) implements Segment {
        public Image {
            Objects.requireNonNull(modality, "modality");
            Objects.requireNonNull(latent, "latent");
            if (tLimit < 0) {
                throw new InvalidInputException("image t limit must be >= 0 (0: the packer's), got " + tLimit);
            }
            if (t < -1) {
                throw new InvalidInputException("image step t must be >= 0, or -1 to draw one, got " + t);
            }
            noise = noise == null ? null : noise.clone();
        }

        @Override
        public float @Nullable [] noise() {
            return noise == null ? null : noise.clone();
        }

        @Override
        public int length(TransfusionConfig c) {
            return c.modality(modality).geometry().patches(latent.height(), latent.width());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Image i && i.modality.equals(modality) && i.latent.equals(latent) && i.tLimit == tLimit
                    && i.t == t
                    && Arrays.equals(i.noise, noise);
        }

        @Override
        public int hashCode() {
            return Objects.hash(modality, latent, tLimit, t, Arrays.hashCode(noise));
        }

        @Override
        public String toString() {
            return (modality.equals(ImagePart.MODALITY) ? "Image[" : "Span[" + modality + ", ") + latent + (t >= 0 ? ", t=" + t : tLimit > 0 ? ", t<" + tLimit : "")
                    + (noise != null ? ", fixed noise" : "") + "]";
        }
    }
}
