package dev.transfusion.plugins.image;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A PNG sheet for eyeballing a codec: images in bands of {@code columns}, each band an originals row
 * above its reconstructions row, cells separated by a mid-grey gap (a wider one between bands).
 */
public final class ReconstructionGrid {
    private static final int GAP = 2;
    private static final byte GREY = (byte) 128;

    private ReconstructionGrid() {
    }

    /** The sheet as an image; every image must share one size, and both lists one length. */
    public static RgbImage compose(List<RgbImage> originals, List<RgbImage> reconstructions, int columns) {
        if (originals.isEmpty() || originals.size() != reconstructions.size() || columns <= 0) {
            throw new InvalidInputException("a reconstruction grid needs as many reconstructions as originals (got "
                    + originals.size() + " and " + reconstructions.size() + ") and at least one column");
        }
        int w = originals.get(0).width(), h = originals.get(0).height();
        int cols = Math.min(columns, originals.size()), bands = (originals.size() + cols - 1) / cols;
        int width = GAP + cols * (w + GAP), bandHeight = 2 * (h + GAP) + GAP;
        int height = GAP + bands * bandHeight;
        byte[] sheet = new byte[width * height * 3];
        Arrays.fill(sheet, GREY);
        for (int i = 0; i < originals.size(); i++) {
            int x = GAP + (i % cols) * (w + GAP), y = GAP + (i / cols) * bandHeight;
            paste(sheet, width, originals.get(i), x, y, w, h);
            paste(sheet, width, reconstructions.get(i), x, y + h + GAP, w, h);
        }
        // grey when every image is: a sheet of grey images is written as a greyscale PNG
        boolean grey = originals.stream().allMatch(RgbImage::isGrey) && reconstructions.stream().allMatch(RgbImage::isGrey);
        return new RgbImage(width, height, sheet, grey ? 1 : 3);
    }

    /** Writes the sheet as a PNG. */
    public static void write(Path png, List<RgbImage> originals, List<RgbImage> reconstructions, int columns) {
        ImageFiles.writePng(compose(originals, reconstructions, columns), png);
    }

    private static void paste(byte[] sheet, int sheetWidth, RgbImage img, int x, int y, int w, int h) {
        if (img.width() != w || img.height() != h) {
            throw new InvalidInputException("grid images must all be " + w + "x" + h + ", got " + img);
        }
        byte[] src = img.rgb();
        for (int row = 0; row < h; row++) {
            System.arraycopy(src, 3 * row * w, sheet, 3 * ((y + row) * sheetWidth + x), 3 * w);
        }
    }
}
