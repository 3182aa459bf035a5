package dev.transfusion.plugins.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.api.spi.PatchGeometry;
import dev.transfusion.datasets.shapes.ShapesDataset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PixelCodecTest {
    private static final RgbImage IMAGE = ShapesDataset.of(ShapesDataset.Split.TRAIN).sample(1).image();

    @Test
    void latentIsThePixelsInMinusOneToOne() {
        PixelCodec codec = new PixelCodec(32, 2);
        Latent z = codec.encode(new ImagePart(IMAGE));
        assertEquals(3, z.channels());
        assertEquals(32, z.height());
        assertEquals((IMAGE.channel(5, 7, 1) / 127.5f) - 1f, z.get(1, 7, 5), 1e-6);
        assertEquals(IMAGE, ((ImagePart) codec.decode(z)).image());
    }

    @Test
    void patchifyRoundTripsForEveryPatchSize() {
        for (int p : new int[] {1, 2, 4, 8}) {
            PixelCodec codec = new PixelCodec(32, p);
            PatchGeometry g = codec.geometry();
            Latent z = codec.encode(new ImagePart(IMAGE));
            float[][] patches = g.patchify(z);
            assertEquals((32 / p) * (32 / p), patches.length);
            assertEquals(3 * p * p, patches[0].length);
            Latent back = g.unpatchify(patches, 3, 32, 32);
            assertEquals(z, back);
            assertEquals(IMAGE, ((ImagePart) codec.decode(back)).image());
        }
    }

    @Test
    void savesAndLoads(@TempDir Path tmp) {
        new PixelCodec(32, 8).save(tmp.resolve("px"));
        assertEquals(new PixelCodec(32, 8), new ImageVaePlugin().loadCodec(tmp.resolve("px")));
    }

    @Test
    void refusesBadSettingsAndLatents() {
        assertThrows(InvalidInputException.class, () -> new PixelCodec(30, 4));
        assertThrows(InvalidInputException.class, () -> new PixelCodec(32, 3));
        assertThrows(InvalidInputException.class, () -> new PixelCodec(32, 2).decode(new Latent(4, 32, 32, new float[4096])));
    }
}
