package dev.transfusion.datasets.shapes;

import dev.transfusion.api.RgbImage;
import java.util.Random;

/**
 * shapes-v1 samples drawn the ways other renderers of the spec may draw them, for training an image codec that
 * must keep what any of them shows: sample i keeps its attributes and whole-pixel jitter, and then, drawn from
 * its own seeded source, is anti-aliased (half of the images: each pixel blends the colour with white by the
 * share of {@value #SUPERSAMPLE}x{@value #SUPERSAMPLE} sub-pixel points inside the outline) and moved by a
 * sub-pixel offset of side and position, uniform in [-0.5, 0.5) pixels at scale 1 (three images in four). The
 * rest, one in eight, is the spec's exact image. Why: a VAE trained only on exact images lost the shape of 1.75%
 * of anti-aliased, sub-pixel-jittered drawings by a second renderer (issue 18).
 */
public final class VariedRasterization {
    /** Sub-pixel points per axis for the anti-aliased coverage. */
    static final int SUPERSAMPLE = 4;
    /** Separates the style's random source from the sample's. */
    private static final long STYLE_SALT = 0x7A57E12L;

    private VariedRasterization() {
    }

    /** How sample {@code index} of {@code data} is drawn. */
    public record Style(boolean antiAliased, double sideOffset, double xOffset, double yOffset) {
        /** The spec's own drawing. */
        public static final Style EXACT = new Style(false, 0, 0, 0);
    }

    /** The style of sample {@code index}: a pure function of the data set's seed and the index. */
    public static Style style(ShapesDataset data, long index) {
        Random random = new Random(ShapesDataset.sampleSeed(data.seed() ^ STYLE_SALT, index));
        boolean antiAliased = random.nextBoolean();
        boolean subPixel = random.nextInt(4) != 0;
        double k = data.scale();
        return subPixel ? new Style(antiAliased, k * (random.nextDouble() - 0.5), k * (random.nextDouble() - 0.5),
                k * (random.nextDouble() - 0.5)) : new Style(antiAliased, 0, 0, 0);
    }

    /** Sample {@code index} of {@code data} drawn in its {@link #style}. */
    public static RgbImage image(ShapesDataset data, long index) {
        ShapeSample s = data.sample(index);
        Style style = style(data, index);
        if (style.equals(Style.EXACT)) {
            return s.image();
        }
        ShapeOutline o = s.outline();
        // the side grows about the box's centre, so the position is kept
        ShapeOutline moved = new ShapeOutline(o.kind(), o.x0() + style.xOffset() - style.sideOffset() / 2,
                o.y0() + style.yOffset() - style.sideOffset() / 2, o.side() + style.sideOffset());
        ShapeColour colour = s.attributes().colour();
        return style.antiAliased() ? drawAntiAliased(moved, colour, data.imageSize())
                : ShapesDataset.draw(moved, colour, data.imageSize());
    }

    /** Draws on white, each pixel the colour by the share of its sub-pixel points inside the outline. */
    static RgbImage drawAntiAliased(ShapeOutline outline, ShapeColour colour, int size) {
        byte[] rgb = new byte[size * size * 3];   // [H, W, 3]
        java.util.Arrays.fill(rgb, (byte) 255);
        int x0 = Math.max(0, (int) Math.floor(outline.x0())), y0 = Math.max(0, (int) Math.floor(outline.y0()));
        int x1 = Math.min(size - 1, (int) Math.ceil(outline.x0() + outline.side()));
        int y1 = Math.min(size - 1, (int) Math.ceil(outline.y0() + outline.side()));
        int points = SUPERSAMPLE * SUPERSAMPLE;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                int inside = 0;
                for (int sy = 0; sy < SUPERSAMPLE; sy++) {
                    for (int sx = 0; sx < SUPERSAMPLE; sx++) {
                        inside += outline.contains(x + (sx + 0.5) / SUPERSAMPLE, y + (sy + 0.5) / SUPERSAMPLE) ? 1 : 0;
                    }
                }
                if (inside > 0) {
                    double cover = inside / (double) points;
                    int i = 3 * (y * size + x);
                    for (int c = 0; c < 3; c++) {
                        rgb[i + c] = (byte) Math.round(255 + cover * (colour.channel(c) - 255));
                    }
                }
            }
        }
        return new RgbImage(size, size, rgb);
    }
}
