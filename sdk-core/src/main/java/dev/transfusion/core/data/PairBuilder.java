package dev.transfusion.core.data;

import dev.transfusion.api.spi.Latent;
import dev.transfusion.core.TransfusionConfig;
import java.util.random.RandomGenerator;

/**
 * Chooses how an encoded (caption, span) pair becomes a training document ({@link SequenceLayout} lays it out),
 * in one of three layouts (shown for an image; any continuous modality's span works the same with its tokens):
 * <ul>
 *   <li>{@link Layout#CAPTION_FIRST}: {@code [BOS, caption.., BOI] image [EOI, EOS]} (text to image);</li>
 *   <li>{@link Layout#IMAGE_FIRST}: {@code [BOS, BOI] image [EOI, caption.., EOS]} (captioning); the image
 *       is noised only lightly, t &lt; {@code config.imageFirstTMax()}, so the caption sees a legible image;</li>
 *   <li>{@link Layout#UNCONDITIONAL}: {@code [BOS, BOI] image [EOI, EOS]}, the caption dropped, which
 *       teaches the unconditional prediction that classifier-free guidance needs.</li>
 * </ul>
 * {@link #draw} picks image-first with probability {@code config.imageFirstShare()}; otherwise the pair is
 * caption-first, and its caption is dropped with probability {@code config.conditionDropout()}. Immutable.
 */
public final class PairBuilder {
    /** How a pair is laid out. */
    public enum Layout {
        /** Caption, then image: learns text-to-image. */
        CAPTION_FIRST,
        /** Image, then caption: learns captioning; the image gets t &lt; imageFirstTMax. */
        IMAGE_FIRST,
        /** Image without caption: the unconditional branch of classifier-free guidance. */
        UNCONDITIONAL
    }

    private final SequenceLayout layout;
    private final double imageFirstShare;
    private final double conditionDropout;

    /** A builder with the config's layout and shares. */
    public PairBuilder(TransfusionConfig config) {
        this.layout = new SequenceLayout(config);
        this.imageFirstShare = config.imageFirstShare();
        this.conditionDropout = config.conditionDropout();
    }

    /**
     * Draws a layout. Always consumes exactly two {@code nextDouble()}s, so the generator's position after a
     * draw does not depend on the outcome.
     */
    public Layout draw(RandomGenerator rng) {
        double first = rng.nextDouble(), drop = rng.nextDouble();
        if (first < imageFirstShare) {
            return Layout.IMAGE_FIRST;
        }
        return drop < conditionDropout ? Layout.UNCONDITIONAL : Layout.CAPTION_FIRST;
    }

    /** The document of an image pair in a layout drawn from {@code rng} ({@link #draw}). */
    public EncodedDocument build(int[] caption, Latent image, RandomGenerator rng) {
        return build(caption, image, draw(rng));
    }

    /** The document of an image pair in the given layout. */
    public EncodedDocument build(int[] caption, Latent image, Layout layout) {
        return build(caption, dev.transfusion.api.ImagePart.MODALITY, image, layout);
    }

    /**
     * The document of a pair of any continuous modality in the given layout ({@link SequenceLayout#pair}).
     *
     * @param caption the caption's token ids, without special tokens
     * @param latent  the span's latent [C, H, W]
     */
    public EncodedDocument build(int[] caption, String modality, Latent latent, Layout layout) {
        return this.layout.pair(caption, modality, latent, switch (layout) {
            case CAPTION_FIRST -> SequenceLayout.PairLayout.CAPTION_FIRST;
            case IMAGE_FIRST -> SequenceLayout.PairLayout.SPAN_FIRST;
            case UNCONDITIONAL -> SequenceLayout.PairLayout.UNCONDITIONAL;
        });
    }
}
