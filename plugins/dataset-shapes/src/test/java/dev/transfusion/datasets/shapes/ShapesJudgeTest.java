package dev.transfusion.datasets.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.RgbImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShapesJudgeTest {

    @Test
    void readsEveryExactImage() {
        for (ShapesDataset.Split split : ShapesDataset.Split.values()) {
            for (ShapeSample s : ShapesDataset.of(split).samples(0, 1000)) {
                ShapeReading r = ShapesJudge.read(s.image());
                assertNotNull(r);
                assertEquals(s.attributes(), r.attributes(), split + " " + s.caption() + " read as " + r);
            }
        }
    }

    @Test
    void readsEveryExactImageAtScaleTwo() {
        for (ShapeSample s : new ShapesDataset(7, 2).samples(0, 300)) {
            assertTrue(ShapesJudge.judgeImage(s.image(), s.attributes()).all(), s.caption());
        }
    }

    @Test
    void staysAbove95PercentWhenBlurredAndNoisy() {
        Random noise = new Random(11);
        int pass = 0, n = 1000;
        for (ShapeSample s : ShapesDataset.of(ShapesDataset.Split.TEST).samples(0, n)) {
            pass += ShapesJudge.judgeImage(noisy(blur(s.image()), noise, 12), s.attributes()).all() ? 1 : 0;
        }
        assertTrue(pass > 0.95 * n, "passed " + pass + " of " + n);
    }

    @Test
    void keepsOnlyTheLargestBlob() {
        ShapeSample s = ShapesDataset.of(ShapesDataset.Split.TRAIN).sample(3);
        byte[] rgb = s.image().rgb();
        // a black speck far from every anchor's shape would pull the centroid and the median if counted
        for (int i : new int[] {0, 1, 32}) {
            rgb[3 * i] = 0;
            rgb[3 * i + 1] = 0;
            rgb[3 * i + 2] = 0;
        }
        assertTrue(ShapesJudge.judgeImage(new RgbImage(32, 32, rgb), s.attributes()).all());
    }

    @Test
    void blankImageIsWrongInEveryAttribute() {
        byte[] white = new byte[32 * 32 * 3];
        java.util.Arrays.fill(white, (byte) 255);
        RgbImage blank = new RgbImage(32, 32, white);
        assertNull(ShapesJudge.read(blank));
        assertEquals(AttributeVerdict.WRONG, ShapesJudge.judgeImage(blank, ShapeAttributes.ofIndex(0)));
    }

    @Test
    void faintPixelsAreNotInk() {
        // distance 80 from white is not ink, 81 is
        RgbImage img = RgbImage.fromPackedRgb(2, 1, new int[] {0xAFFFFF, 0xAEFFFF});
        boolean[] blob = ShapesJudge.largestBlob(img.toPackedRgb(), 2, 1);
        assertFalse(blob[0]);
        assertTrue(blob[1]);
    }

    @Test
    void captionsAreJudgedPerAttributeAfterNormalising() {
        ShapeAttributes truth = new ShapeAttributes(ShapeColour.RED, ShapeKind.CIRCLE, ShapeSize.LARGE,
                ShapePosition.TOP_LEFT);
        assertTrue(ShapesJudge.judgeCaption("a large red circle in the top left", truth).all());
        assertTrue(ShapesJudge.judgeCaption("  A  Large red\tcircle in the TOP   left ", truth).all());
        assertEquals(new AttributeVerdict(true, false, true, true),
                ShapesJudge.judgeCaption("a large red square in the top left", truth));
        assertEquals(new AttributeVerdict(false, true, false, false),
                ShapesJudge.judgeCaption("a small blue circle in the center", truth));
        assertEquals(AttributeVerdict.WRONG, ShapesJudge.judgeCaption("a large red circle in the top left.", truth));
        assertEquals(AttributeVerdict.WRONG, ShapesJudge.judgeCaption("large red circle in the top left", truth));
        assertEquals(AttributeVerdict.WRONG, ShapesJudge.judgeCaption("a large pink circle in the top left", truth));
        assertEquals(AttributeVerdict.WRONG, ShapesJudge.judgeCaption("", truth));
    }

    @Test
    void parsesEveryCaptionItGenerates() {
        for (int i = 0; i < ShapeAttributes.COMBINATIONS; i++) {
            ShapeAttributes a = ShapeAttributes.ofIndex(i);
            assertEquals(a, ShapeCaption.parse(a.caption()));
        }
    }

    @Test
    void answersAreExactAfterNormalising() {
        assertTrue(ShapesJudge.judgeAnswer(" Top  Left", "top left"));
        assertTrue(ShapesJudge.judgeAnswer("RED", "red"));
        assertFalse(ShapesJudge.judgeAnswer("red.", "red"));
        assertFalse(ShapesJudge.judgeAnswer("top", "top left"));
    }

    /** A 3x3 binomial blur ([1 2 1] / 4 each way), edges clamped. */
    static RgbImage blur(RgbImage img) {
        int w = img.width(), h = img.height();
        byte[] out = new byte[w * h * 3];
        int[] k = {1, 2, 1};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int sx = Math.min(w - 1, Math.max(0, x + dx)), sy = Math.min(h - 1, Math.max(0, y + dy));
                            sum += k[dx + 1] * k[dy + 1] * img.channel(sx, sy, c);
                        }
                    }
                    out[3 * (y * w + x) + c] = (byte) Math.round(sum / 16f);
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Adds Gaussian noise of standard deviation {@code sigma} (0..255 units) to every channel. */
    static RgbImage noisy(RgbImage img, Random random, double sigma) {
        byte[] rgb = img.rgb();
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) Math.max(0, Math.min(255, Math.round((rgb[i] & 0xff) + sigma * random.nextGaussian())));
        }
        return new RgbImage(img.width(), img.height(), rgb);
    }
}
