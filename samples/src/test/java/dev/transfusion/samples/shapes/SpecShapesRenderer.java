package dev.transfusion.samples.shapes;

import dev.transfusion.api.RgbImage;
import dev.transfusion.datasets.shapes.ShapeAttributes;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A second renderer of shapes-v1, written from the spec's text (docs/spec/shapes-v1.md) and nothing of the
 * project's generator: its own palette, anchors and sides (looked up by the caption words), and Java2D's
 * rasteriser rather than the generator's pixel-centre loop. It draws the way another program that follows the
 * spec may draw: optionally anti-aliased, with continuous (sub-pixel) jitter of side and position where the spec
 * jitters by whole pixels. The project's VAE must keep what such images show (issue 18).
 */
public final class SpecShapesRenderer {
    /** The spec's exact colours, by caption word. */
    private static final Map<String, Color> PALETTE = Map.of("red", new Color(220, 40, 40),
            "orange", new Color(245, 140, 30), "yellow", new Color(235, 210, 40), "green", new Color(40, 170, 70),
            "blue", new Color(40, 80, 220), "purple", new Color(150, 60, 180));
    /** Centre of the bounding box at scale 1, by position words. */
    private static final Map<String, double[]> ANCHORS = Map.of("top left", new double[] {9, 9},
            "top right", new double[] {23, 9}, "bottom left", new double[] {9, 23},
            "bottom right", new double[] {23, 23}, "center", new double[] {16, 16});
    /** Nominal side at scale 1, by size word. */
    private static final Map<String, Integer> SIDES = Map.of("small", 8, "large", 16);

    /**
     * How to draw.
     *
     * @param antiAliased blend edge pixels by coverage (Java2D's anti-aliasing) rather than all-or-nothing
     * @param subPixel    jitter side and position uniformly in [-1, 1] (continuous) instead of -1, 0 or +1
     */
    public record Style(boolean antiAliased, boolean subPixel) {
    }

    /** One drawn image and what it shows. */
    public record Drawing(RgbImage image, ShapeAttributes attributes) {
    }

    private final int scale;

    /** A renderer at scale factor k (image side 32k). */
    public SpecShapesRenderer(int scale) {
        this.scale = scale;
    }

    /** Drawing {@code index} of a stream seeded by {@code seed}: uniform attributes, then jitter. */
    public Drawing draw(long seed, long index, Style style) {
        SplittableRandom random = new SplittableRandom(seed * 31 + index * 0x632BE59BD9B4E019L);
        ShapeAttributes a = ShapeAttributes.ofIndex(random.nextInt(ShapeAttributes.COMBINATIONS));
        double sideJitter, dx, dy;
        if (style.subPixel()) {
            sideJitter = random.nextDouble(-1, 1);
            dx = random.nextDouble(-1, 1);
            dy = random.nextDouble(-1, 1);
        } else {
            sideJitter = random.nextInt(3) - 1;
            dx = random.nextInt(3) - 1;
            dy = random.nextInt(3) - 1;
        }
        return new Drawing(draw(a, sideJitter, dx, dy, style.antiAliased()), a);
    }

    /** The image of {@code a} with the given jitter (scale-1 pixels). */
    public RgbImage draw(ShapeAttributes a, double sideJitter, double dx, double dy, boolean antiAliased) {
        int k = scale, size = 32 * k;
        double side = k * (SIDES.get(a.size().word()) + sideJitter);
        double[] anchor = ANCHORS.get(a.position().words());
        double cx = k * (anchor[0] + dx), cy = k * (anchor[1] + dy);
        // the spec's box: x0 = cx - side/2 by integer division when the side is whole, else its continuation
        double half = side == Math.rint(side) ? Math.floorDiv((long) side, 2) : side / 2;
        double x0 = cx - half, y0 = cy - half;
        Shape shape = switch (a.kind().word()) {
            case "circle" -> new Ellipse2D.Double(x0, y0, side, side);
            case "square" -> new Rectangle2D.Double(x0, y0, side, side);
            case "triangle" -> {
                Path2D.Double p = new Path2D.Double();
                p.moveTo(x0, y0 + side);
                p.lineTo(x0 + side / 2, y0);
                p.lineTo(x0 + side, y0 + side);
                p.closePath();
                yield p;
            }
            default -> throw new IllegalArgumentException("no shape " + a.kind());
        };
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size, size);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, antiAliased ? RenderingHints.VALUE_ANTIALIAS_ON
                    : RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(PALETTE.get(a.colour().word()));
            g.fill(shape);
        } finally {
            g.dispose();
        }
        return RgbImage.fromPackedRgb(size, size, img.getRGB(0, 0, size, size, null, 0, size));
    }
}
