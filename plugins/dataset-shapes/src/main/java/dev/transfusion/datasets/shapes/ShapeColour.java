package dev.transfusion.datasets.shapes;

/** The six fill colours of shapes-v1, with their exact RGB values. */
public enum ShapeColour {
    RED(220, 40, 40),
    ORANGE(245, 140, 30),
    YELLOW(235, 210, 40),
    GREEN(40, 170, 70),
    BLUE(40, 80, 220),
    PURPLE(150, 60, 180);

    private final int red;
    private final int green;
    private final int blue;

    ShapeColour(int red, int green, int blue) {
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    /** The colour as {@code 0xRRGGBB}. */
    public int rgb() {
        return red << 16 | green << 8 | blue;
    }

    /** Channel {@code c} (0 red, 1 green, 2 blue), 0..255. */
    public int channel(int c) {
        return c == 0 ? red : c == 1 ? green : blue;
    }

    /** The caption word, e.g. {@code "red"}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The palette entry nearest (Euclidean RGB) to the given colour. */
    public static ShapeColour nearest(double r, double g, double b) {
        ShapeColour best = RED;
        double bestD = Double.MAX_VALUE;
        for (ShapeColour c : values()) {
            double d = (r - c.red) * (r - c.red) + (g - c.green) * (g - c.green) + (b - c.blue) * (b - c.blue);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }
}
