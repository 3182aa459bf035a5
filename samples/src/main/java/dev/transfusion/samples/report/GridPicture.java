package dev.transfusion.samples.report;

import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Evaluation;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** A judge's {@link Evaluation.Grid} as a PNG: the title, then each row's label beside its drawn images. */
public final class GridPicture {
    private static final int CELL = 84;       // 28 x 28 at 3x, 32 x 32 at ~2.6x: large enough to recognize
    private static final int GAP = 4;
    private static final int LABEL = 110;
    private static final int TITLE = 28;

    private GridPicture() {
    }

    /** Writes {@code grid} as a PNG at {@code png}. */
    public static void write(Evaluation.Grid grid, Path png) {
        System.setProperty("java.awt.headless", "true");
        int columns = grid.rows().stream().mapToInt(List::size).max().orElse(1);
        int width = LABEL + columns * (CELL + GAP) + GAP, height = TITLE + grid.rows().size() * (CELL + GAP) + GAP;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(grid.title(), GAP, 19);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int r = 0; r < grid.rows().size(); r++) {
            int y = TITLE + r * (CELL + GAP);
            g.drawString(grid.labels().get(r), GAP, y + CELL / 2 + 4);
            List<RgbImage> row = grid.rows().get(r);
            for (int c = 0; c < row.size(); c++) {
                g.drawImage(enlarged(row.get(c), CELL), LABEL + c * (CELL + GAP), y, null);
            }
        }
        g.dispose();
        try {
            ImageIO.write(out, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code img} as a {@code cell x cell} picture, nearest-neighbour: a person should see the model's pixels, not a
     * smoothed guess.
     */
    static BufferedImage enlarged(RgbImage img, int cell) {
        BufferedImage b = new BufferedImage(cell, cell, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < cell; y++) {
            for (int x = 0; x < cell; x++) {
                b.setRGB(x, y, img.pixel(x * img.width() / cell, y * img.height() / cell));
            }
        }
        return b;
    }
}
