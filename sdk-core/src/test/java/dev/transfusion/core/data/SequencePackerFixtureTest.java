package dev.transfusion.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.transfusion.api.spi.Latent;
import dev.transfusion.api.spi.PatchGeometry;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.diffusion.NoiseSchedule;
import dev.transfusion.core.io.NpyArray;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packer against the batch the reference's {@code pack} + {@code stack_rows} produced
 * ({@code fixtures/tiny/input.*}): the same documents give the same layout, and with the reference's own
 * timesteps and noise, the same noised patches.
 */
class SequencePackerFixtureTest {
    static final int T = 40, P = 16;
    static Path dir;
    static TransfusionConfig config;
    static int[] tokens, timesteps;
    static float[] patches, noise;

    @BeforeAll
    static void read() throws Exception {
        dir = Path.of(SequencePackerFixtureTest.class.getResource("/fixtures/tiny/config.json").toURI()).getParent();
        config = TransfusionConfig.read(dir.resolve("config.json"));
        tokens = ints("tokens");           // [2, 40]
        timesteps = ints("timesteps");     // [2, 40]
        patches = NpyArray.read(dir.resolve("input.patches.npy")).floats();   // [2, 40, 16]
        noise = NpyArray.read(dir.resolve("input.noise.npy")).floats();       // [2, 40, 16]
    }

    static int[] ints(String name) {
        return NpyArray.read(dir.resolve("input." + name + ".npy")).ints();
    }

    /** The fixture's token ids of row b, positions from .. to-1. */
    static EncodedDocument.Segment text(int b, int from, int to) {
        return EncodedDocument.tokens(Arrays.copyOfRange(tokens, b * T + from, b * T + to));
    }

    /**
     * The image at row b, positions from .. from+15, at the fixture's own t and noise, its clean latent
     * [4, 8, 8] recovered by un-noising: x0 = (x_t - sqrt(1 - abar) eps) / sqrt(abar), then unpatchified.
     */
    static EncodedDocument.Segment image(int b, int from) {
        NoiseSchedule s = NoiseSchedule.cosine();
        int t = timesteps[b * T + from];
        double ab = s.alphaCumprod(t);
        float[][] x0 = new float[16][P];                                           // [N, P]
        float[] eps = Arrays.copyOfRange(noise, (b * T + from) * P, (b * T + from + 16) * P);
        for (int n = 0; n < 16; n++) {
            for (int k = 0; k < P; k++) {
                int i = (b * T + from + n) * P + k;
                x0[n][k] = (float) ((patches[i] - Math.sqrt(1 - ab) * noise[i]) / Math.sqrt(ab));
            }
        }
        Latent latent = new PatchGeometry(2).unpatchify(x0, 4, 8, 8);
        return EncodedDocument.imageAt(latent, t, eps);
    }

    PackedBatch pack() {
        SequencePacker packer = new SequencePacker(config);
        // row 0: [BOS + 6 text + BOI] image [EOI, EOS] then [BOS + 5 text + EOS]; row 1: [BOS, BOI] image [EOI + 7 text + EOS]
        EncodedDocument captionFirst = EncodedDocument.of(text(0, 0, 8), image(0, 8), text(0, 24, 26));
        EncodedDocument textOnly = EncodedDocument.of(text(0, 26, 33));
        EncodedDocument imageFirst = EncodedDocument.of(text(1, 0, 2), image(1, 2), text(1, 18, 27));
        SplittableRandom rng = new SplittableRandom(0);
        return SequencePacker.stack(List.of(packer.packRow(List.of(captionFirst, textOnly), T, rng),
                packer.packRow(List.of(imageFirst), T, rng, 500)));
    }

    @Test
    void layoutEqualsTheReferenceExactly() {
        PackedBatch b = pack();
        assertEquals(2, b.batch());
        assertArrayEquals(tokens, b.rows().tokens());
        assertArrayEquals(ints("targets"), b.targets());
        assertArrayEquals(ints("positions"), b.rows().positions());
        assertArrayEquals(ints("image_id"), b.imageId());
        assertArrayEquals(timesteps, b.rows().timesteps());
        assertArrayEquals(NpyArray.read(dir.resolve("input.is_image.npy")).booleans(), b.rows().isImage());
        assertArrayEquals(NpyArray.read(dir.resolve("input.allowed.npy")).booleans(), b.rows().allowed());
    }

    @Test
    void withTheReferenceNoiseThePatchesAreReproduced() {
        PackedBatch b = pack();
        assertArrayEquals(noise, b.noise());
        assertArrayEquals(patches, b.rows().patches(), 1e-5f);
    }
}
