package dev.transfusion.plugins.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.spi.CodecTraining;
import dev.transfusion.api.spi.LatentCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VAE made through the SPI's trainCodec, as train-codec --modality image does. */
class VaeCodecTrainingTest {
    @TempDir
    Path dir;

    static List<Part> images(int n) {
        List<Part> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] px = new int[16 * 16];
            java.util.Arrays.fill(px, i % 2 == 0 ? 0xff0000 : 0x0000ff);
            out.add(new ImagePart(RgbImage.fromPackedRgb(16, 16, px)));
        }
        return out;
    }

    @Test
    void aFewStepsThroughTheSpiWriteACodecTheSpiLoads() {
        List<Long> steps = new ArrayList<>();
        Path out = dir.resolve("vae");
        new ImageVaePlugin().trainCodec(images(8), out, new CodecTraining(4, 1, 1, Map.of("size", "16", "batch", "4")),
                s -> steps.add(s.step()));
        assertEquals(List.of(1L, 2L, 3L, 4L), steps);
        assertTrue(Files.isRegularFile(out.resolve("manifest.json")));
        try (LatentCodec codec = new ImageVaePlugin().loadCodec(out)) {
            assertEquals(4, codec.latentChannels());
            assertEquals(16, ((ImagePart) codec.decode(codec.encode(images(1).get(0)))).image().width());
        }
    }

    @Test
    void unknownSettingsAndNoImagesAreRefused() {
        var unknown = assertThrows(InvalidInputException.class, () -> new ImageVaePlugin().trainCodec(images(2),
                dir.resolve("a"), new CodecTraining(1, 1, 1, Map.of("sizes", "16")), TrainingListener.NONE));
        assertEquals("the image codec takes the settings [batch, downsample, edge_weight, latent_channels, lr, patch, "
                + "size]; unknown: [sizes]", unknown.getMessage());
        var none = assertThrows(InvalidInputException.class, () -> new ImageVaePlugin().trainCodec(List.of(),
                dir.resolve("b"), CodecTraining.defaults(1), TrainingListener.NONE));
        assertEquals("the image codec trains on images; none were given", none.getMessage());
        var number = assertThrows(InvalidInputException.class, () -> new ImageVaePlugin().trainCodec(images(2),
                dir.resolve("c"), new CodecTraining(1, 1, 1, Map.of("size", "big")), TrainingListener.NONE));
        assertEquals("image codec setting size must be a whole number, got 'big'", number.getMessage());
    }
}
