package dev.transfusion.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationOptionsTest {

    @Test
    void outOfRangeValuesNameTheField() {
        var e = assertThrows(InvalidInputException.class, () -> GenerationOptions.builder().topP(0).build());
        assertTrue(e.getMessage().contains("topP"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> GenerationOptions.builder().temperature(Double.NaN).build());
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> GenerationOptions.builder().diffusionSteps(0).build());
        assertTrue(e.getMessage().contains("diffusionSteps"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> GenerationOptions.builder().stop(List.of("")).build());
        assertTrue(e.getMessage().contains("stop"), e.getMessage());
    }

    @Test
    void toBuilderKeepsEveryField() {
        GenerationOptions o = GenerationOptions.builder().maxTokens(7).temperature(0.5).topK(3).topP(0.9).seed(4L)
                .stop(List.of("x")).diffusionSteps(9).guidanceScale(2).sampler(DiffusionSampler.DDIM).mode(Mode.IMAGE).build();
        assertEquals(o, o.toBuilder().build());
    }

    @Test
    void imagesAreCheckedAndImmutable() {
        byte[] px = new byte[12];
        RgbImage img = new RgbImage(2, 2, px);
        px[0] = 9;
        assertEquals(0, img.channel(0, 0, 0));
        assertThrows(InvalidInputException.class, () -> new RgbImage(2, 2, new byte[11]));
        assertEquals(0x0a0b0c, RgbImage.fromPackedRgb(1, 1, new int[] {0xff0a0b0c}).pixel(0, 0));
    }
}
