package dev.transfusion.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The SDK's one resize: area averaging down, bilinear up, grey kept grey, nonsense sizes refused. */
class ResamplingTest {

    @Test
    void shrinkingAveragesAreasAndGreyStaysGrey() {
        // 4 x 1 grey: 0, 100, 200, 40 -> 2 x 1: the mean of each pair
        RgbImage grey = RgbImage.grey(4, 1, new byte[] {0, 100, (byte) 200, 40});
        RgbImage half = grey.resized(2, 1);
        assertEquals(1, half.channels());
        assertEquals(50, half.channel(0, 0, 0));
        assertEquals(120, half.channel(1, 0, 0));
        assertSame(grey, grey.resized(4, 1), "the same size is the same image");
    }

    @Test
    void enlargingThenShrinkingComesBackClose() {
        byte[] levels = new byte[8 * 8];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = (byte) (i * 4);
        }
        RgbImage ramp = RgbImage.grey(8, 8, levels), back = ramp.resized(16, 16).resized(8, 8);
        // away from the border (where the enlargement clamps) a linear ramp comes back to within rounding
        for (int y = 1; y < 7; y++) {
            for (int x = 1; x < 7; x++) {
                assertTrue(Math.abs(back.channel(x, y, 0) - ramp.channel(x, y, 0)) <= 1, x + "," + y);
            }
        }
    }

    @Test
    void aSizeBelowOnePixelIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> RgbImage.blank(4, 4).resized(0, 28));
        assertEquals("an image resizes to at least 1 x 1, got 0 x 28", e.getMessage());
    }
}
