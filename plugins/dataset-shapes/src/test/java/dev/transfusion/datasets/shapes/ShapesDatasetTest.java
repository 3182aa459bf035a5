package dev.transfusion.datasets.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.RgbImage;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShapesDatasetTest {
    private static final int WHITE = 0xFFFFFF;

    @Test
    void samplesArePureFunctionsOfSeedAndIndex() {
        ShapesDataset a = ShapesDataset.of(ShapesDataset.Split.TRAIN);
        ShapesDataset b = new ShapesDataset(ShapesDataset.TRAIN_SEED, 1);
        for (long i : new long[] {0, 1, 17, 123_456_789L}) {
            assertEquals(a.sample(i), b.sample(i));
        }
        assertNotEquals(a.samples(0, 20), ShapesDataset.of(ShapesDataset.Split.TEST).samples(0, 20));
        assertNotEquals(a.samples(0, 20), ShapesDataset.of(ShapesDataset.Split.VALIDATION).samples(0, 20));
    }

    @Test
    void attributesAreUniformOverTheCombinations() {
        ShapesDataset d = ShapesDataset.of(ShapesDataset.Split.VALIDATION);
        int n = 36_000;
        int[] counts = new int[ShapeAttributes.COMBINATIONS];
        int[] sideJitter = new int[3];
        for (int i = 0; i < n; i++) {
            ShapeSample s = d.sample(i);
            ShapeAttributes a = s.attributes();
            counts[((a.colour().ordinal() * 3 + a.kind().ordinal()) * 2 + a.size().ordinal()) * 5 + a.position().ordinal()]++;
            sideJitter[(int) s.outline().side() - a.size().side() + 1]++;
        }
        double expected = n / 180.0, chi2 = 0;
        for (int c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        // 179 degrees of freedom: the 99.9th percentile is about 247
        assertTrue(chi2 < 247, "chi-square " + chi2);
        for (int j : sideJitter) {
            assertEquals(n / 3.0, j, n * 0.02);
        }
    }

    @Test
    void combinationIndexCoversAll180() {
        Set<ShapeAttributes> all = new HashSet<>();
        for (int i = 0; i < 180; i++) {
            all.add(ShapeAttributes.ofIndex(i));
        }
        assertEquals(180, all.size());
        assertEquals(new ShapeAttributes(ShapeColour.RED, ShapeKind.CIRCLE, ShapeSize.SMALL, ShapePosition.TOP_LEFT),
                ShapeAttributes.ofIndex(0));
    }

    @Test
    void captionAndQuestionsFollowTheTemplate() {
        ShapeAttributes a = new ShapeAttributes(ShapeColour.RED, ShapeKind.CIRCLE, ShapeSize.LARGE, ShapePosition.TOP_LEFT);
        assertEquals("a large red circle in the top left", a.caption());
        assertEquals(new QuestionAnswer("what color is the shape?", "red"), a.questions().get(0));
        assertEquals(new QuestionAnswer("what shape is it?", "circle"), a.questions().get(1));
        assertEquals(new QuestionAnswer("where is the shape?", "top left"), a.questions().get(2));
        assertEquals(new QuestionAnswer("is the shape large or small?", "large"), a.questions().get(3));
    }

    @Test
    void squareFillsExactlyItsBox() {
        // a small square at the top-left anchor with no jitter: cx = cy = 9, side 8 -> x0 = y0 = 5, pixels 5..12
        RgbImage img = ShapesDataset.draw(new ShapeOutline(ShapeKind.SQUARE, 5, 5, 8), ShapeColour.BLUE, 32);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                boolean inside = x >= 5 && x <= 12 && y >= 5 && y <= 12;
                assertEquals(inside ? ShapeColour.BLUE.rgb() : WHITE, img.pixel(x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void oddSideBoxUsesIntegerDivision() {
        // side 9: x0 = cx - 9 / 2 = cx - 4, so the box spans cx - 4 .. cx + 4 (9 pixels)
        ShapeSample s = findSample(ShapeKind.SQUARE, 9);
        int x0 = (int) s.outline().x0();
        int cx = x0 + 9 / 2;
        assertEquals(s.attributes().position().x(), cx, 1.0);
        assertEquals(s.attributes().colour().rgb(), s.image().pixel(x0, (int) s.outline().y0()));
        assertEquals(WHITE, s.image().pixel(x0 - 1, (int) s.outline().y0()));
        assertEquals(WHITE, s.image().pixel(x0 + 9, (int) s.outline().y0()));
    }

    @Test
    void triangleRowsWidenByOnePixelEachSidePerTwoRows() {
        // side 8: rows 0..7 of the box hold 0, 2, 2, 4, 4, 6, 6, 8 pixels, centred; total 32 = side^2 / 2
        RgbImage img = ShapesDataset.draw(new ShapeOutline(ShapeKind.TRIANGLE, 5, 5, 8), ShapeColour.RED, 32);
        int[] expected = {0, 2, 2, 4, 4, 6, 6, 8};
        for (int row = 0; row < 8; row++) {
            int count = 0, first = -1;
            for (int x = 0; x < 32; x++) {
                if (img.pixel(x, 5 + row) != WHITE) {
                    count++;
                    first = first < 0 ? x : first;
                }
            }
            assertEquals(expected[row], count, "row " + row);
            if (count > 0) {
                assertEquals(9 - count / 2, first, "row " + row + " is centred on the apex at x = 9");
            }
        }
        assertEquals(32, inkCount(img));
    }

    @Test
    void circleIsTheInscribedDiscByPixelCentres() {
        // side 8: half-rows of 4, 4, 3, 2 pixels from the centre outwards -> rows 4, 6, 8, 8, 8, 8, 6, 4
        RgbImage img = ShapesDataset.draw(new ShapeOutline(ShapeKind.CIRCLE, 12, 12, 8), ShapeColour.GREEN, 32);
        int[] widths = {4, 6, 8, 8, 8, 8, 6, 4};
        for (int row = 0; row < 8; row++) {
            int count = 0;
            for (int x = 0; x < 32; x++) {
                count += img.pixel(x, 12 + row) != WHITE ? 1 : 0;
            }
            assertEquals(widths[row], count, "row " + row);
        }
        assertEquals(WHITE, img.pixel(12, 12));
        assertEquals(ShapeColour.GREEN.rgb(), img.pixel(16, 16));
    }

    @Test
    void scaleFactorMultipliesEveryLength() {
        ShapesDataset k1 = new ShapesDataset(42, 1), k2 = new ShapesDataset(42, 2);
        for (int i = 0; i < 50; i++) {
            ShapeSample a = k1.sample(i), b = k2.sample(i);
            assertEquals(a.attributes(), b.attributes());
            assertEquals(64, b.image().width());
            assertEquals(2 * a.outline().side(), b.outline().side());
            assertEquals(2 * (a.outline().x0() + (int) a.outline().side() / 2),
                    b.outline().x0() + (int) b.outline().side() / 2);
        }
    }

    @Test
    void onlyPaletteColoursAndWhiteAppear() {
        for (ShapeSample s : ShapesDataset.of(ShapesDataset.Split.TRAIN).samples(0, 200)) {
            for (int p : s.image().toPackedRgb()) {
                assertTrue(p == WHITE || p == s.attributes().colour().rgb());
            }
            assertTrue(inkCount(s.image()) > 20);
        }
    }

    private static ShapeSample findSample(ShapeKind kind, int side) {
        ShapesDataset d = ShapesDataset.of(ShapesDataset.Split.TRAIN);
        for (long i = 0; ; i++) {
            ShapeSample s = d.sample(i);
            if (s.attributes().kind() == kind && s.outline().side() == side) {
                return s;
            }
        }
    }

    private static int inkCount(RgbImage img) {
        int n = 0;
        for (int p : img.toPackedRgb()) {
            n += p != WHITE ? 1 : 0;
        }
        return n;
    }
}
