package dev.transfusion.datasets.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.RgbImage;
import org.junit.jupiter.api.Test;

/**
 * A codec of another size draws the items as it saw them in training: the 28 x 28 images resized to its own
 * size. The judge resizes such a drawing back, so an item comes back where it was and as large.
 */
class JudgeSizeTest {

    static double meanAbsoluteDifference(RgbImage a, RgbImage b) {
        double d = 0;
        byte[] x = a.rgb(), y = b.rgb();
        for (int i = 0; i < x.length; i++) {
            d += Math.abs((x[i] & 0xff) - (y[i] & 0xff));
        }
        return d / x.length;
    }

    /** The 28 x 28 centre of a 32 x 32 grey image: what the judge read before. */
    static RgbImage centre(RgbImage image) {
        byte[] levels = new byte[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                levels[y * 28 + x] = (byte) image.channel(x + 2, y + 2, 0);
            }
        }
        return RgbImage.grey(28, 28, levels);
    }

    @Test
    void aDrawingOfACodecsLargerSizeIsResizedBackToTheItemsOwnFrame() {
        FashionMnist test = FashionMnist.open(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST);
        double backs = 0, crops = 0;
        for (int i = 0; i < 20; i++) {
            RgbImage real = test.image(i), drawn = real.resized(32, 32);   // what a 32 x 32 codec learned to draw
            RgbImage judged = FashionEvaluation.toJudgeSize(drawn);
            assertEquals(28, judged.width());
            assertEquals(1, judged.channels(), "a grey drawing stays grey");
            double back = meanAbsoluteDifference(judged, real), crop = meanAbsoluteDifference(centre(drawn), real);
            // the resampling blurs a little (3.9 to 17 levels here); cutting the centre out shows a zoomed item
            assertTrue(back < 20 && back < crop, "image " + i + ": resized back, the item should be where it "
                    + "was; mean difference " + back + " (the centre cut out: " + crop + ")");
            backs += back;
            crops += crop;
        }
        assertTrue(backs < crops / 2, "resized back " + backs / 20 + " vs the centre " + crops / 20 + " on average");
        RgbImage own = test.image(0);
        assertSame(own, FashionEvaluation.toJudgeSize(own), "a 28 x 28 drawing is read as it is");
    }

    @Test
    void theGridHasARowPerClassHoldingTheDrawingsAskedForThatClass() {
        java.util.List<RgbImage> drawn = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) {                     // drawing i asked for class i mod 10; its one pixel says i
            drawn.add(RgbImage.grey(1, 1, new byte[] {(byte) i}));
        }
        var grid = FashionEvaluation.byClass(drawn);
        assertEquals("t-shirt/top", grid.labels().get(0));
        for (int k = 0; k < 10; k++) {
            var row = grid.rows().get(k);
            assertEquals(FashionEvaluation.GRID_COLUMNS, row.size(), "at most a dozen a row");
            for (int j = 0; j < row.size(); j++) {
                assertEquals(k + 10 * j, row.get(j).channel(0, 0, 0), "row " + k + ", column " + j);
            }
        }
    }
}
