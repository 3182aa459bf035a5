package dev.transfusion.datasets.shapes;

import dev.transfusion.api.RgbImage;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The shapes-v1 judge, exactly as the spec words it:
 * <ul>
 *   <li>ink: a pixel whose largest channel distance from white exceeds 80; keep the largest 8-connected blob
 *       (ties: the one found first in row-major order);</li>
 *   <li>colour: the palette entry nearest (Euclidean RGB) to the per-channel median of the blob's pixels;</li>
 *   <li>position: the anchor nearest to the blob's centroid (pixel centres at x + 0.5, y + 0.5);</li>
 *   <li>shape: the ideal square, circle and upward triangle ({@link ShapeOutline}) with the blob's area and
 *       centroid are rasterised by the pixel-centre rule; the highest intersection-over-union wins;</li>
 *   <li>size: the winning shape's side at the blob's area; under 12 (times k) is small.</li>
 * </ul>
 * The scale factor k is the image width / 32. Captions and answers are compared after
 * {@link ShapeCaption#normalize}; a caption that does not parse is wrong in every attribute.
 */
public final class ShapesJudge {
    /** The largest channel distance from white above which a pixel is ink. */
    public static final int INK_THRESHOLD = 80;

    private ShapesJudge() {
    }

    /** Reads the attributes of an image; null when it has no ink at all. */
    public static @Nullable ShapeReading read(RgbImage image) {
        int w = image.width(), h = image.height();
        int[] px = image.toPackedRgb();
        boolean[] blob = largestBlob(px, w, h);
        int area = 0;
        double sx = 0, sy = 0;
        int[][] channels = new int[3][w * h];
        for (int i = 0; i < blob.length; i++) {
            if (blob[i]) {
                sx += i % w + 0.5;
                sy += i / w + 0.5;
                for (int c = 0; c < 3; c++) {
                    channels[c][area] = (px[i] >> (16 - 8 * c)) & 0xff;
                }
                area++;
            }
        }
        if (area == 0) {
            return null;
        }
        double mx = sx / area, my = sy / area, k = w / 32.0;
        ShapeColour colour = ShapeColour.nearest(median(channels[0], area), median(channels[1], area),
                median(channels[2], area));
        ShapeKind best = ShapeKind.SQUARE;
        double bestIou = -1;
        for (ShapeKind kind : ShapeKind.values()) {
            double iou = iou(blob, w, h, area, ShapeOutline.withCentroid(kind, mx, my, kind.sideAtArea(area)));
            if (iou > bestIou) {
                bestIou = iou;
                best = kind;
            }
        }
        double side = best.sideAtArea(area);
        ShapeSize size = side < ShapeSize.SMALL_BELOW * k ? ShapeSize.SMALL : ShapeSize.LARGE;
        ShapeAttributes read = new ShapeAttributes(colour, best, size, ShapePosition.nearest(mx, my, k));
        return new ShapeReading(read, area, mx, my, side, bestIou);
    }

    /** Judges an image against the attributes it should show; an image with no ink is wrong in all four. */
    public static AttributeVerdict judgeImage(RgbImage image, ShapeAttributes truth) {
        ShapeReading r = read(image);
        return r == null ? AttributeVerdict.WRONG : AttributeVerdict.compare(r.attributes(), truth);
    }

    /** Judges a generated caption against the truth; one that does not parse is wrong in all four. */
    public static AttributeVerdict judgeCaption(String caption, ShapeAttributes truth) {
        ShapeAttributes parsed = ShapeCaption.parse(caption);
        return parsed == null ? AttributeVerdict.WRONG : AttributeVerdict.compare(parsed, truth);
    }

    /** Judges an answer: exact match with the expected answer after normalising both. */
    public static boolean judgeAnswer(String answer, String expected) {
        return ShapeCaption.normalize(answer).equals(ShapeCaption.normalize(expected));
    }

    /** Ink mask of the largest 8-connected ink blob. */
    static boolean[] largestBlob(int[] px, int w, int h) {
        boolean[] ink = new boolean[w * h];
        for (int i = 0; i < ink.length; i++) {
            int r = (px[i] >> 16) & 0xff, g = (px[i] >> 8) & 0xff, b = px[i] & 0xff;
            ink[i] = Math.max(255 - r, Math.max(255 - g, 255 - b)) > INK_THRESHOLD;
        }
        int[] label = new int[w * h];   // 0 = unvisited, else blob number
        int bestLabel = 0, bestSize = 0, next = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < ink.length; start++) {
            if (!ink[start] || label[start] != 0) {
                continue;
            }
            int id = ++next, size = 0;
            label[start] = id;
            queue.add(start);
            while (!queue.isEmpty()) {
                int i = queue.poll(), x = i % w, y = i / w;
                size++;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx, ny = y + dy;
                        if (nx >= 0 && nx < w && ny >= 0 && ny < h && ink[ny * w + nx] && label[ny * w + nx] == 0) {
                            label[ny * w + nx] = id;
                            queue.add(ny * w + nx);
                        }
                    }
                }
            }
            if (size > bestSize) {
                bestSize = size;
                bestLabel = id;
            }
        }
        boolean[] blob = new boolean[w * h];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = bestLabel != 0 && label[i] == bestLabel;
        }
        return blob;
    }

    /** Intersection-over-union of the blob and an ideal outline rasterised by the pixel-centre rule. */
    static double iou(boolean[] blob, int w, int h, int blobArea, ShapeOutline outline) {
        int x0 = (int) Math.floor(outline.x0()) - 1, y0 = (int) Math.floor(outline.y0()) - 1;
        int x1 = (int) Math.ceil(outline.x0() + outline.side()) + 1;
        int y1 = (int) Math.ceil(outline.y0() + outline.side()) + 1;
        int inter = 0, shape = 0;
        // the ideal shape may reach past the image's edge: count those pixels too, they are not in the blob
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                if (outline.coversPixel(x, y)) {
                    shape++;
                    if (x >= 0 && x < w && y >= 0 && y < h && blob[y * w + x]) {
                        inter++;
                    }
                }
            }
        }
        int union = blobArea + shape - inter;
        return union == 0 ? 0 : (double) inter / union;
    }

    private static double median(int[] values, int n) {
        int[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }
}
