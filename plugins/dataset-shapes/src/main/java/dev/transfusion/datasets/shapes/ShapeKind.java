package dev.transfusion.datasets.shapes;

/** The three shapes of shapes-v1. A triangle points up, its base at the bottom, base width = height. */
public enum ShapeKind {
    CIRCLE, SQUARE, TRIANGLE;

    /** The caption word, e.g. {@code "circle"}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The side (box width) this shape has when it covers {@code area} pixels: a square is s x s, a circle
     * fills the disc of diameter s, a triangle is half of its s x s box.
     */
    public double sideAtArea(double area) {
        return switch (this) {
            case SQUARE -> Math.sqrt(area);
            case CIRCLE -> 2 * Math.sqrt(area / Math.PI);
            case TRIANGLE -> Math.sqrt(2 * area);
        };
    }
}
