package dev.transfusion.plugins.audio;

import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Latent;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A picture of audio latents for people: each {@code [1, mels, frames]} grid as a grey spectrogram (time to
 * the right, the lowest mel band at the bottom, the data range -0.6..3.6 from black to white), rows of
 * latents side by side with a white gap.
 */
public final class LatentPicture {
    /** The latent value drawn black, about silence. */
    public static final double BLACK = -0.6;
    /** The latent value drawn white, the top of the data range. */
    public static final double WHITE = 3.6;
    private static final int GAP = 4;

    private LatentPicture() {
    }

    /** The picture of {@code rows} of latents, each cell scaled up by {@code scale}. */
    public static BufferedImage draw(List<List<Latent>> rows, int scale) {
        Latent first = rows.get(0).get(0);
        int h = first.height() * scale, w = first.width() * scale;
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        BufferedImage image = new BufferedImage(columns * (w + GAP) + GAP, rows.size() * (h + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, 0xffffff);
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < rows.get(r).size(); c++) {
                Latent z = rows.get(r).get(c);
                if (z.height() * scale != h || z.width() * scale != w) {
                    throw new IllegalArgumentException("latent " + z + " differs in shape from " + first);
                }
                int x0 = GAP + c * (w + GAP), y0 = GAP + r * (h + GAP);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        image.setRGB(x0 + x, y0 + y, grey(z, x / scale, y / scale));
                    }
                }
            }
        }
        return image;
    }

    /** One latent as a picture without a border (a report's sample of a clip), each cell scaled by {@code scale}. */
    public static RgbImage picture(Latent z, int scale) {
        int w = z.width() * scale, h = z.height() * scale;
        int[] pixels = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pixels[y * w + x] = grey(z, x / scale, y / scale);
            }
        }
        return RgbImage.fromPackedRgb(w, h, pixels);
    }

    /** The packed grey of the cell in column {@code frame}, row {@code row} from the top. */
    private static int grey(Latent z, int frame, int row) {
        double v = z.get(0, z.height() - 1 - row, frame);
        int grey = (int) Math.round(255 * Math.max(0, Math.min(1, (v - BLACK) / (WHITE - BLACK))));
        return grey * 0x010101;
    }

    /** Writes {@link #draw} as a PNG. */
    public static void write(Path png, List<List<Latent>> rows, int scale) {
        try {
            ImageIO.write(draw(rows, scale), "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }
}
