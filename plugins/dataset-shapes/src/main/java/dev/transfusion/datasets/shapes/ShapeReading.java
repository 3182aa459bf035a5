package dev.transfusion.datasets.shapes;

/**
 * What the judge read from an image, with the measurements behind it (for diagnosing failures).
 *
 * @param attributes the four attributes read
 * @param area       pixels in the largest ink blob
 * @param centroidX  the blob's centroid, in continuous coordinates (pixel centres at x + 0.5)
 * @param centroidY  likewise, down
 * @param side       the winning shape's side at the blob's area
 * @param iou        the winning shape's intersection-over-union with the blob
 */
public record ShapeReading(ShapeAttributes attributes, int area, double centroidX, double centroidY, double side,
                           double iou) {
}
