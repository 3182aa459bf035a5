package dev.transfusion.samples.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.RgbImage;
import dev.transfusion.datasets.shapes.ShapeSample;
import dev.transfusion.datasets.shapes.ShapesDataset;
import dev.transfusion.datasets.shapes.ShapesJudge;
import org.junit.jupiter.api.Test;

/** The independent renderer follows shapes-v1: the judge reads what it draws, and its exact mode agrees with the generator. */
class SpecShapesRendererTest {
    private static final SpecShapesRenderer RENDERER = new SpecShapesRenderer(1);

    @Test
    void theJudgeReadsEveryStyleOfDrawing() {
        for (boolean aa : new boolean[] {false, true}) {
            for (boolean sub : new boolean[] {false, true}) {
                SpecShapesRenderer.Style style = new SpecShapesRenderer.Style(aa, sub);
                int read = 0, n = 600;
                for (int i = 0; i < n; i++) {
                    SpecShapesRenderer.Drawing d = RENDERER.draw(7, i, style);
                    read += ShapesJudge.judgeImage(d.image(), d.attributes()).all() ? 1 : 0;
                }
                if (aa) {
                    // a small square whose edges fall near half pixels loses its corners to the ink threshold and
                    // reads as a circle: a limit of the spec's reader, rare (measured 1 in 600)
                    assertTrue(read >= 0.99 * n, style + ": the spec's reader read " + read + " of " + n);
                } else {
                    assertEquals(n, read, style + ": the spec's reader must read every hard-edged drawing");
                }
            }
        }
    }

    @Test
    void antiAliasingBlendsEdgesAndSubPixelJitterMovesThem() {
        SpecShapesRenderer.Drawing d = RENDERER.draw(3, 0, new SpecShapesRenderer.Style(true, true));
        RgbImage hard = RENDERER.draw(d.attributes(), 0, 0.3, 0.3, false);
        RgbImage soft = RENDERER.draw(d.attributes(), 0, 0.3, 0.3, true);
        assertTrue(distinctColours(soft) > 2, "anti-aliased edges hold blends of the colour and white");
        assertEquals(2, distinctColours(hard), "without anti-aliasing: the colour and white only");
        assertTrue(!RENDERER.draw(d.attributes(), 0, 0.3, 0.3, true).equals(RENDERER.draw(d.attributes(), 0, 0.6, 0.3, true)));
    }

    /** Exact mode (no anti-aliasing, whole-pixel jitter) is the spec's image: pixel for pixel the generator's. */
    @Test
    void exactDrawingsAgreeWithTheGenerator() {
        ShapesDataset generator = ShapesDataset.of(ShapesDataset.Split.TEST);
        long differing = 0, pixels = 0;
        for (int i = 0; i < 300; i++) {
            ShapeSample s = generator.sample(i);
            int nominal = s.attributes().size().side();
            double side = s.outline().side(), cx = s.outline().x0() + Math.floorDiv((long) side, 2);
            double cy = s.outline().y0() + Math.floorDiv((long) side, 2);
            RgbImage mine = RENDERER.draw(s.attributes(), side - nominal, cx - s.attributes().position().x(),
                    cy - s.attributes().position().y(), false);
            int[] a = mine.toPackedRgb(), b = s.image().toPackedRgb();
            for (int p = 0; p < a.length; p++) {
                differing += a[p] != b[p] ? 1 : 0;
            }
            pixels += a.length;
        }
        // two rasterizers, one rule: a pixel is inked when its centre is inside (boundaries included)
        assertEquals(0, differing, differing + " of " + pixels + " pixels differ");
    }

    private static int distinctColours(RgbImage image) {
        return (int) java.util.Arrays.stream(image.toPackedRgb()).distinct().count();
    }
}
