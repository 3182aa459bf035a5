package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Evaluation;
import dev.transfusion.plugins.image.ImageFiles;
import dev.transfusion.samples.report.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A judge's grids become PNGs beside the report, which shows each under its title. */
class EvalPicturesTest {

    @Test
    void eachGridIsWrittenAndShownInTheReport(@TempDir Path dir) throws Exception {
        RgbImage white = RgbImage.grey(28, 28, filled(28 * 28, (byte) 255));
        RgbImage black = RgbImage.grey(28, 28, new byte[28 * 28]);
        Evaluation.Grid grid = new Evaluation.Grid("drawn images by class", List.of("white", "black"),
                List.of(List.of(white, white, white), List.of(black)));
        Evaluation r = new Evaluation("test", "a stand-in judge", List.of(new Evaluation.Metric("n", "samples",
                Evaluation.Kind.COUNT, 4)), List.of(new Evaluation.Example("a prompt", white, black, "a caption")),
                List.of(), List.of(grid));
        EvalCommand.write(dir, r, new HtmlReport.Run("transfusion eval", 0.1, 0.1, dir.resolve("model"), "ddim"));
        Path png = dir.resolve("grid-drawn-images-by-class.png");
        RgbImage picture = ImageFiles.read(png);
        assertTrue(picture.width() > 3 * 84 && picture.height() > 2 * 84, picture.width() + " x " + picture.height());
        // the middle of the first row's first cell is white, of the second row's first cell black
        int x0 = 110 + 40, y0 = 28 + 40, y1 = 28 + 88 + 40;
        assertEquals(0xffffff, picture.pixel(x0, y0));
        assertEquals(0x000000, picture.pixel(x0, y1));
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<h2>drawn images by class</h2>\n<img src=\"grid-drawn-images-by-class.png\""), html);
    }

    static byte[] filled(int n, byte v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, v);
        return b;
    }
}
