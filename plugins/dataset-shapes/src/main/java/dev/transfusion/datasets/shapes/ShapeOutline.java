package dev.transfusion.datasets.shapes;

/**
 * A shape in continuous pixel coordinates, where pixel (x, y) covers [x, x+1) x [y, y+1) and its centre
 * is (x + 0.5, y + 0.5). The generator draws with it (integer boxes) and the judge overlays ideal shapes
 * with it (real-valued boxes), so both follow one set of rules:
 * <ul>
 *   <li>square: the box [x0, x0+side] x [y0, y0+side];</li>
 *   <li>circle: the disc inscribed in the box (centre at the box's centre, radius side/2);</li>
 *   <li>triangle: the polygon (x0, y0+side), (x0+side/2, y0), (x0+side, y0+side), apex up, the apex at
 *       the box's exact horizontal middle (side/2 as a real number, so odd sides stay symmetric).</li>
 * </ul>
 * Boundaries are inclusive.
 *
 * @param kind the shape
 * @param x0   the box's left edge
 * @param y0   the box's top edge
 * @param side the box's width and height
 */
public record ShapeOutline(ShapeKind kind, double x0, double y0, double side) {

    /** The outline whose box is centred at (cx, cy). */
    public static ShapeOutline centredAt(ShapeKind kind, double cx, double cy, double side) {
        return new ShapeOutline(kind, cx - side / 2, cy - side / 2, side);
    }

    /**
     * The outline whose area centroid is at (mx, my): for a square or circle that is the box's centre; a
     * triangle's centroid lies 2/3 of the height below its apex, i.e. side/6 below the box's centre.
     */
    public static ShapeOutline withCentroid(ShapeKind kind, double mx, double my, double side) {
        double cy = kind == ShapeKind.TRIANGLE ? my - side / 6 : my;
        return centredAt(kind, mx, cy, side);
    }

    /** Whether the point (px, py) lies inside (boundary included). */
    public boolean contains(double px, double py) {
        double x1 = x0 + side, y1 = y0 + side;
        if (px < x0 || px > x1 || py < y0 || py > y1) {
            return false;
        }
        return switch (kind) {
            case SQUARE -> true;
            case CIRCLE -> {
                double r = side / 2, dx = px - (x0 + r), dy = py - (y0 + r);
                yield dx * dx + dy * dy <= r * r;
            }
            // at height py the triangle spans half its box's width times the share of the height above py
            case TRIANGLE -> Math.abs(px - (x0 + side / 2)) <= (py - y0) / 2;
        };
    }

    /** Whether pixel (x, y) is inked: its centre lies inside. This is the no-anti-aliasing rule. */
    public boolean coversPixel(int x, int y) {
        return contains(x + 0.5, y + 0.5);
    }
}
