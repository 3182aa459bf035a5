package dev.transfusion.core.data;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.spi.Latent;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A document whose parts are already encoded: runs of token ids and image latents, in reading order,
 * special tokens included (e.g. {@code [BOS, caption.., BOI] image [EOI, EOS]}). The
 * {@link SequencePacker} lays documents out into rows.
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

    /** Positions the document occupies in a row when images are cut into {@code patch x patch} patches. */
    public int length(int patch) {
        int n = 0;
        for (Segment s : segments) {
            n += s.length(patch);
        }
        return n;
    }

    /** Number of image segments. */
    public int imageCount() {
        return (int) segments.stream().filter(s -> s instanceof Image).count();
    }

    /** One run of a document: token ids or an image. */
    public sealed interface Segment permits Tokens, Image {
        /** Positions this segment occupies with the given patch side. */
        int length(int patch);
    }

    /** Token ids (special tokens included). */
    public static Segment tokens(int... ids) {
        return new Tokens(ids);
    }

    /** An image whose step is drawn uniformly in [0, the packer's limit) and whose noise is fresh. */
    public static Segment image(Latent latent) {
        return new Image(latent, 0, -1, null);
    }

    /** An image whose step is drawn uniformly in [0, tLimit), overriding the packer's limit. */
    public static Segment image(Latent latent, int tLimit) {
        return new Image(latent, tLimit, -1, null);
    }

    /**
     * An image noised at a fixed step {@code t}, with fixed noise when {@code noise} is not null
     * ([N, P] in patch order, like {@link PackedBatch#noise()}); for evaluation at a known t.
     */
    public static Segment imageAt(Latent latent, int t, float @Nullable [] noise) {
        return new Image(latent, 0, t, noise);
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
        public int length(int patch) {
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
     * An image latent and how it is noised when packed.
     *
     * @param latent the clean latent x0, [C, H, W]
     * @param tLimit when positive, t is drawn in [0, tLimit) instead of the packer's limit (image-first pairs)
     * @param t      a fixed step, or -1 to draw one
     * @param noise  fixed noise [N, P] in patch order, or null to draw N(0, 1) noise
     */
    public record Image(Latent latent, int tLimit, int t, float @Nullable [] noise) implements Segment {
        public Image {
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
        public int length(int patch) {
            if (latent.height() % patch != 0 || latent.width() % patch != 0) {
                throw new InvalidInputException(latent + " is not divisible into " + patch + "x" + patch + " patches");
            }
            return (latent.height() / patch) * (latent.width() / patch);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Image i && i.latent.equals(latent) && i.tLimit == tLimit && i.t == t
                    && Arrays.equals(i.noise, noise);
        }

        @Override
        public int hashCode() {
            return Objects.hash(latent, tLimit, t, Arrays.hashCode(noise));
        }

        @Override
        public String toString() {
            return "Image[" + latent + (t >= 0 ? ", t=" + t : tLimit > 0 ? ", t<" + tLimit : "")
                    + (noise != null ? ", fixed noise" : "") + "]";
        }
    }
}
