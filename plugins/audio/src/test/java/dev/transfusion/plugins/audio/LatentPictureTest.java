package dev.transfusion.plugins.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.plugins.audio.tones.TonesDataset;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatentPictureTest {
    @Test
    void latentsAreDrawnAsSpectrogramsWithTheLowestBandAtTheBottom(@TempDir Path dir) throws Exception {
        float[] v = new float[32 * 64];
        java.util.Arrays.fill(v, -0.6f);
        v[0 * 64 + 10] = 3.6f;   // mel 0, frame 10: loud
        Latent z = new Latent(1, 32, 64, v);
        Latent tone = new LogMelCodec(LogMelGrid.FINE).encode(TonesDataset.of(TonesDataset.Split.TEST).sample(0).clip());
        Path png = dir.resolve("latents.png");
        LatentPicture.write(png, List.of(List.of(z, tone)), 2);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(4 + 2 * (128 + 4), image.getWidth());
        assertEquals(4 + 64 + 4, image.getHeight());
        assertEquals(0xffffff, image.getRGB(4 + 20, 4 + 63) & 0xffffff, "mel 0 frame 10 is white, on the bottom row");
        assertEquals(0x000000, image.getRGB(4 + 20, 4) & 0xffffff, "mel 31 frame 10 is black, on the top row");
        assertEquals(0xffffff, image.getRGB(1, 1) & 0xffffff, "the gap is white");
        int bright = 0;
        for (int y = 4; y < 68; y++) {
            for (int x = 4 + 132; x < 4 + 132 + 128; x++) {
                bright += (image.getRGB(x, y) & 0xff) > 128 ? 1 : 0;
            }
        }
        assertTrue(bright > 50, "the tone's latent shows bright cells: " + bright);
    }

    @Test
    void oneLatentIsAPictureWithoutABorder() {
        float[] v = new float[32 * 64];
        java.util.Arrays.fill(v, -0.6f);
        v[0 * 64 + 10] = 3.6f;   // mel 0, frame 10: loud
        RgbImage picture = LatentPicture.picture(new Latent(1, 32, 64, v), 1);
        assertEquals(64, picture.width());
        assertEquals(32, picture.height());
        assertEquals(0xffffff, picture.pixel(10, 31), "mel 0 frame 10 is white, on the bottom row");
        assertEquals(0x000000, picture.pixel(10, 0));
        assertEquals(0x000000, picture.pixel(0, 31));
    }
}
