package dev.transfusion.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.core.PatchCoderType;
import dev.transfusion.core.TransfusionConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The patch coder chosen by the configuration's enum, each with its parameters and placeholders. */
class PatchCoderTest {
    static final TransfusionConfig LINEAR = TransfusionConfig.preset("tiny");
    static final TransfusionConfig UNET = LINEAR.withPatchCoder("unet");

    @Test
    void theConfigurationNamesTheCoder() {
        assertEquals(PatchCoderType.LINEAR, LINEAR.coder());
        assertEquals(PatchCoderType.UNET, UNET.coder());
        assertInstanceOf(LinearPatchCoder.class, PatchCoder.of(LINEAR, LINEAR.modalities().get(0), null));
        assertInstanceOf(UNetPatchCoder.class, PatchCoder.of(UNET, UNET.modalities().get(0), null));
        var e = assertThrows(InvalidInputException.class, () -> PatchCoderType.of("conv"));
        assertEquals("patch_coder must be one of [\"linear\", \"unet\"], got conv", e.getMessage());
    }

    @Test
    void eachCoderFeedsItsOwnPlaceholders() {
        boolean[] isImage = {false, true, true, true, true, false};
        int p = LINEAR.modalities().get(0).patchDim();
        float[] patches = new float[isImage.length * p];
        for (int i = p; i < 5 * p; i++) {
            patches[i] = i;
        }
        int[] ids = {-1, 0, 0, 0, 0, -1};
        Map<String, INDArray> linear = new HashMap<>(), unet = new HashMap<>();
        PatchCoder.of(LINEAR, LINEAR.modalities().get(0), null).feed("", isImage, patches, ids, linear);
        PatchCoder.of(UNET, UNET.modalities().get(0), null).feed("", isImage, patches, ids, unet);
        assertEquals(java.util.Set.of(TransfusionGraph.PATCHES), linear.keySet());
        assertEquals(1f, linear.get(TransfusionGraph.PATCHES).getFloat(1, p), "the bias column at an image position");
        assertEquals(0f, linear.get(TransfusionGraph.PATCHES).getFloat(0, p), "no bias at a text position");
        assertTrue(unet.keySet().containsAll(java.util.List.of(TransfusionGraph.IMAGE_LATENTS, TransfusionGraph.IMAGE_SELECT,
                TransfusionGraph.IMAGE_GRID)), unet.keySet().toString());
        assertEquals(4, (int) unet.get(TransfusionGraph.IMAGE_SELECT).sumNumber().intValue(), "one selection per patch");
    }
}
