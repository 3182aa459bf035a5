package dev.transfusion.plugins.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.api.spi.PatchGeometry;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The audio codec's rectangular patches, the SPI's {@link PatchGeometry}: 8 mels x 2 columns on the default
 * coarse grid, 4 mels x 8 frames on the fine one.
 */
class AudioPatchTest {
    static final PatchGeometry FINE = LogMelGrid.FINE.patch();

    @Test
    void theDefaultCodecDeclaresSixteenPatchesOfEightMelsByTwoColumns() {
        LogMelCodec codec = new LogMelCodec();
        assertEquals(LogMelGrid.COARSE, codec.grid());
        assertEquals(new PatchGeometry(8, 2), codec.geometry());
        assertArrayEquals(new int[] {1, 32, 8}, codec.latentShape());
        assertEquals(16, codec.geometry().patches(32, 8));
        assertEquals(16, codec.geometry().patchDim(codec.latentChannels()));
    }

    @Test
    void theFineCodecDeclaresFourMelsByEightFramesAndItsLatentShape() {
        LogMelCodec codec = new LogMelCodec(LogMelGrid.FINE);
        assertEquals(new PatchGeometry(4, 8), codec.geometry());
        assertArrayEquals(new int[] {1, 32, 64}, codec.latentShape());
        assertEquals(64, codec.geometry().patches(32, 64));
        assertEquals(32, codec.geometry().patchDim(codec.latentChannels()));
    }

    @Test
    void theAudioLatentCutsIntoSixtyFourPatchesOfThirtyTwoValuesAndBack() {
        float[] v = new float[32 * 64];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;   // value = mel * 64 + frame
        }
        Latent z = new Latent(1, 32, 64, v);
        float[][] patches = FINE.patchify(z);
        assertEquals(64, patches.length);
        assertEquals(32, patches[0].length);
        // patch 1 is mels 0-3, frames 8-15, row by row
        assertArrayEquals(new float[] {8, 9, 10, 11, 12, 13, 14, 15}, Arrays.copyOfRange(patches[1], 0, 8));
        assertEquals(64 + 8, patches[1][8]);
        // patch 8 starts the second row of patches: mel 4, frame 0
        assertEquals(4 * 64, patches[8][0]);
        assertEquals(z, FINE.unpatchify(patches, 1, 32, 64));
    }

    @Test
    void aSquarePatchIsTheOneSideConstructor() {
        float[] v = new float[2 * 8 * 8];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.5f;
        }
        Latent z = new Latent(2, 8, 8, v);
        assertArrayEquals(new PatchGeometry(4).patchify(z), new PatchGeometry(4, 4).patchify(z));
    }

    @Test
    void shapesThatDoNotDivideAreRefused() {
        var e = assertThrows(InvalidInputException.class,
                () -> FINE.patchify(new Latent(1, 32, 60, new float[1920])));
        assertEquals("latent 32x60 is not divisible into 4x8 patches", e.getMessage());
        assertThrows(InvalidInputException.class, () -> FINE.unpatchify(new float[63][32], 1, 32, 64));
        assertThrows(InvalidInputException.class, () -> new PatchGeometry(0, 8));
    }
}
