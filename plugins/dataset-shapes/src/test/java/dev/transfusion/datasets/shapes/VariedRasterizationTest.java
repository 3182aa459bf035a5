package dev.transfusion.datasets.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.RgbImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The codec's training images: varied rasterizations of the same attributes, reproducible, still readable. */
class VariedRasterizationTest {
    private static final ShapesDataset TRAIN = ShapesDataset.of(ShapesDataset.Split.TRAIN);

    @Test
    void mixesExactHardEdgedAndAntiAliasedDrawingsThatTheJudgeStillReads() {
        int n = 800, exact = 0, antiAliased = 0, subPixel = 0, read = 0;
        for (int i = 0; i < n; i++) {
            VariedRasterization.Style style = VariedRasterization.style(TRAIN, i);
            RgbImage image = VariedRasterization.image(TRAIN, i);
            boolean blended = Arrays.stream(image.toPackedRgb()).distinct().count() > 2;
            if (style.equals(VariedRasterization.Style.EXACT)) {
                exact++;
                assertEquals(TRAIN.sample(i).image(), image, "an exact style is the spec's image");
            }
            antiAliased += style.antiAliased() ? 1 : 0;
            subPixel += style.xOffset() != 0 ? 1 : 0;
            assertTrue(!blended || style.antiAliased(), "only anti-aliased drawings blend colours");
            read += ShapesJudge.judgeImage(image, TRAIN.sample(i).attributes()).all() ? 1 : 0;
        }
        assertTrue(exact > n / 16 && exact < n / 4, exact + " exact");
        assertTrue(antiAliased > n * 2 / 5 && antiAliased < n * 3 / 5, antiAliased + " anti-aliased");
        assertTrue(subPixel > n * 2 / 3 && subPixel < n * 5 / 6, subPixel + " moved by sub-pixel offsets");
        assertTrue(read >= 0.99 * n, "the judge reads " + read + " of " + n);
    }

    @Test
    void anImageIsAPureFunctionOfSeedAndIndex() {
        assertEquals(VariedRasterization.image(TRAIN, 17), VariedRasterization.image(ShapesDataset.of(ShapesDataset.Split.TRAIN), 17));
        assertEquals(VariedRasterization.style(TRAIN, 17), VariedRasterization.style(TRAIN, 17));
    }

    @Test
    void coverageBlendsEdgePixelsByTheShareInside() {
        // a square from 2.5 to 6.5: the edge columns are half inside
        RgbImage img = VariedRasterization.drawAntiAliased(new ShapeOutline(ShapeKind.SQUARE, 2.5, 2.5, 4), ShapeColour.BLUE, 8);
        assertEquals(ShapeColour.BLUE.rgb(), img.pixel(4, 4));
        assertEquals(Math.round(255 + 0.5 * (40 - 255)), img.channel(2, 4, 0), "half of red's way from white");
        assertEquals(Math.round(255 + 0.25 * (40 - 255)), img.channel(2, 2, 0), "a corner: a quarter inside");
        assertEquals(0xffffff, img.pixel(0, 0));
    }
}
