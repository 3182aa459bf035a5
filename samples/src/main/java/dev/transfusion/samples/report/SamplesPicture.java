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

/**
 * A PNG grid a person can read at a glance: for each example, the prompt above the image the model drew
 * for it, and a held-out image above the caption the model wrote for it.
 */
public final class SamplesPicture {
    private static final int SCALE = 4;
    private static final int CELL = 32 * SCALE;
    private static final int LABEL = 34;
    private static final int PAD = 8;

    private SamplesPicture() {
    }

    /** Draws the examples, {@code columns} to a row, and writes the PNG. */
    public static void write(List<Evaluation.Example> examples, int columns, Path png) {
        System.setProperty("java.awt.headless", "true");
        int rows = (examples.size() + columns - 1) / columns;
        int cellW = CELL + 2 * PAD, cellH = 2 * (CELL + LABEL) + 2 * PAD;
        BufferedImage out = new BufferedImage(columns * cellW, Math.max(1, rows) * cellH + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("top: prompt -> what the model drew     bottom: held-out sample -> its caption", PAD, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < examples.size(); i++) {
            Evaluation.Example e = examples.get(i);
            int x = (i % columns) * cellW + PAD, y = 30 + (i / columns) * cellH + PAD;
            label(g, e.prompt(), x, y);
            g.drawImage(scaled(e.generated()), x, y + LABEL, null);
            int y2 = y + LABEL + CELL + PAD;
            g.drawImage(scaled(e.truth()), x, y2, null);
            label(g, e.caption(), x, y2 + CELL + 2);
        }
        g.dispose();
        try {
            ImageIO.write(out, "png", png.toFile());
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + png + ": " + ex.getMessage(), ex);
        }
    }

    /** Up to two lines of text in a cell's width. */
    private static void label(Graphics2D g, String text, int x, int y) {
        String[] words = text.split(" ");
        StringBuilder line = new StringBuilder();
        int lineNo = 0;
        for (String w : words) {
            if (g.getFontMetrics().stringWidth(line + " " + w) > CELL && line.length() > 0) {
                g.drawString(line.toString(), x, y + 12 + 14 * lineNo++);
                line.setLength(0);
                if (lineNo == 2) {
                    return;
                }
            }
            line.append(line.length() == 0 ? "" : " ").append(w);
        }
        g.drawString(line.toString(), x, y + 12 + 14 * lineNo);
    }

    private static BufferedImage scaled(RgbImage img) {
        return GridPicture.enlarged(img, CELL);
    }
}
