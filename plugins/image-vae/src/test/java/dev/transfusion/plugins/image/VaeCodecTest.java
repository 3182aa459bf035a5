package dev.transfusion.plugins.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.PatchGeometry;
import dev.transfusion.datasets.shapes.ShapesDataset;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeCodecTest {
    private static final RgbImage IMAGE = ShapesDataset.of(ShapesDataset.Split.TEST).sample(0).image();

    @Test
    void fourTimesDownGivesEightByEightByFour() {
        Latent z = TinyVae.codec(TinyVae.config4x()).encode(new ImagePart(IMAGE));
        assertEquals(new Latent(4, 8, 8, new float[256]).toString(), z.toString());
        RgbImage back = ((ImagePart) TinyVae.codec(TinyVae.config4x()).decode(z)).image();
        assertEquals(32, back.width());
        assertEquals(32, back.height());
    }

    @Test
    void eightTimesDownGivesFourByFourByEight() {
        VaeCodec codec = TinyVae.codec(TinyVae.config8x());
        Latent z = codec.encode(new ImagePart(IMAGE));
        assertEquals(8, z.channels());
        assertEquals(4, z.height());
        assertEquals(4, z.width());
        assertEquals(8, codec.latentChannels());
        assertEquals(32, ((ImagePart) codec.decode(z)).image().width());
    }

    @Test
    void encodeUsesTheMeanTimesTheScale() {
        VaeConfig c = TinyVae.config4x();
        float[] scaled = TinyVae.codec(c).encode(new ImagePart(IMAGE)).values();
        float[] unit = TinyVae.codec(c.withLatentScale(1.0)).encode(new ImagePart(IMAGE)).values();
        for (int i = 0; i < unit.length; i++) {
            assertEquals(unit[i] * c.latentScale(), scaled[i], 1e-5);
        }
        // encoding is deterministic: no posterior sampling
        assertArrayEquals(scaled, TinyVae.codec(c).encode(new ImagePart(IMAGE)).values());
    }

    @Test
    void patchifyRoundTripsThroughTheCodecGeometry() {
        Latent z = TinyVae.codec(TinyVae.config4x()).encode(new ImagePart(IMAGE));     // [4, 8, 8]
        for (int p : new int[] {1, 2, 4, 8}) {
            PatchGeometry g = new PatchGeometry(p);
            float[][] patches = g.patchify(z);
            assertEquals((8 / p) * (8 / p), patches.length);
            assertEquals(g.patchDim(4), patches[0].length);
            assertEquals(z, g.unpatchify(patches, 4, 8, 8));
        }
        VaeConfig c8 = new VaeConfig(32, 4, 4, new int[] {4, 8}, "silu", "l1", 1e-5, 4, 8, 1.0);
        assertEquals(new PatchGeometry(8), TinyVae.codec(c8).geometry());
    }

    @Test
    void otherSizesAreResizedAndCroppedFirst() {
        VaeCodec codec = TinyVae.codec(TinyVae.config4x());
        RgbImage wide = IMAGE.resized(96, 64);
        Latent z = codec.encode(new ImagePart(wide));
        assertEquals(List.of(4, 8, 8), List.of(z.channels(), z.height(), z.width()));
        assertEquals(codec.encode(new ImagePart(ImageFiles.fit(wide, 32))), z);
    }

    @Test
    void refusesOtherPartsAndWrongLatents() {
        LatentCodec codec = TinyVae.codec(TinyVae.config4x());
        assertThrows(InvalidInputException.class, () -> codec.encode(new TextPart("hello")));
        assertThrows(InvalidInputException.class, () -> codec.decode(new Latent(3, 8, 8, new float[192])));
    }

    @Test
    void savedVaeReloadsToIdenticalOutputs(@TempDir Path tmp) {
        VaeConfig c = TinyVae.config4x();
        TinyVae.save(c, tmp.resolve("vae"));
        LatentCodec loaded = new ImageVaePlugin().loadCodec(tmp.resolve("vae"));
        VaeCodec original = TinyVae.codec(c);
        assertInstanceOf(VaeCodec.class, loaded);
        assertEquals(c, ((VaeCodec) loaded).config());
        Latent a = original.encode(new ImagePart(IMAGE)), b = loaded.encode(new ImagePart(IMAGE));
        assertArrayEquals(a.values(), b.values());
        assertEquals(original.decode(a), loaded.decode(b));
    }
}
