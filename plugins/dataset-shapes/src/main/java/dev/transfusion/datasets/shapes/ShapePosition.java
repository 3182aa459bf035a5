package dev.transfusion.datasets.shapes;

/** The five positions of shapes-v1: the anchor of the bounding box's centre at scale 1. */
public enum ShapePosition {
    TOP_LEFT(9, 9), TOP_RIGHT(23, 9), BOTTOM_LEFT(9, 23), BOTTOM_RIGHT(23, 23), CENTER(16, 16);

    private final int x;
    private final int y;

    ShapePosition(int x, int y) {
        this.x = x;
        this.y = y;
    }

    /** Anchor column at scale 1. */
    public int x() {
        return x;
    }

    /** Anchor row at scale 1. */
    public int y() {
        return y;
    }

    /** The caption words, e.g. {@code "top left"}. */
    public String words() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** The anchor nearest to the point {@code (px, py)}, both given at scale {@code k}. */
    public static ShapePosition nearest(double px, double py, double k) {
        ShapePosition best = CENTER;
        double bestD = Double.MAX_VALUE;
        for (ShapePosition p : values()) {
            double dx = px - p.x * k, dy = py - p.y * k;
            if (dx * dx + dy * dy < bestD) {
                bestD = dx * dx + dy * dy;
                best = p;
            }
        }
        return best;
    }
}
