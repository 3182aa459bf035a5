package dev.transfusion.datasets.shapes;

/** The two sizes of shapes-v1: the side of the shape's bounding box at scale 1, before jitter. */
public enum ShapeSize {
    SMALL(8), LARGE(16);

    /** Sides under this (times the scale factor) read as small: halfway between 8 and 16, in area terms. */
    public static final int SMALL_BELOW = 12;

    private final int side;

    ShapeSize(int side) {
        this.side = side;
    }

    /** The nominal side at scale 1. */
    public int side() {
        return side;
    }

    /** The caption word, e.g. {@code "small"}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
