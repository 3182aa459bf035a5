package dev.transfusion.core.data;

import dev.transfusion.api.spi.Latent;
import dev.transfusion.core.TransfusionConfig;
import java.util.random.RandomGenerator;

/**
 * Turns an encoded (caption, image) pair into a training document, in one of three layouts:
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

    private final TransfusionConfig.SpecialTokens special;
    private final double imageFirstShare;
    private final double conditionDropout;
    private final int imageFirstTMax;

    /** A builder with the config's special tokens, shares and image-first noise limit. */
    public PairBuilder(TransfusionConfig config) {
        this.special = config.specialTokens();
        this.imageFirstShare = config.imageFirstShare();
        this.conditionDropout = config.conditionDropout();
        this.imageFirstTMax = config.imageFirstTMax();
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

    /** The document of a pair in a layout drawn from {@code rng} ({@link #draw}). */
    public EncodedDocument build(int[] caption, Latent image, RandomGenerator rng) {
        return build(caption, image, draw(rng));
    }

    /**
     * The document of a pair in the given layout.
     *
     * @param caption the caption's token ids, without special tokens
     * @param image   the image latent [C, H, W]
     */
    public EncodedDocument build(int[] caption, Latent image, Layout layout) {
        int bos = special.bos(), eos = special.eos(), boi = special.boi(), eoi = special.eoi();
        return switch (layout) {
            case CAPTION_FIRST -> EncodedDocument.of(
                    EncodedDocument.tokens(concat(new int[] {bos}, caption, new int[] {boi})),
                    EncodedDocument.image(image),
                    EncodedDocument.tokens(eoi, eos));
            case IMAGE_FIRST -> EncodedDocument.of(
                    EncodedDocument.tokens(bos, boi),
                    EncodedDocument.image(image, imageFirstTMax),
                    EncodedDocument.tokens(concat(new int[] {eoi}, caption, new int[] {eos})));
            case UNCONDITIONAL -> EncodedDocument.of(
                    EncodedDocument.tokens(bos, boi),
                    EncodedDocument.image(image),
                    EncodedDocument.tokens(eoi, eos));
        };
    }

    private static int[] concat(int[] a, int[] b, int[] c) {
        int[] out = new int[a.length + b.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }
}
