package dev.transfusion.datasets.shapes;

/**
 * Which of the four attributes were read correctly.
 *
 * @param colour   colour right
 * @param kind     shape right
 * @param size     size right
 * @param position position right
 */
public record AttributeVerdict(boolean colour, boolean kind, boolean size, boolean position) {
    /** Every attribute wrong: an unparsable caption, or an image with no ink. */
    public static final AttributeVerdict WRONG = new AttributeVerdict(false, false, false, false);

    /** Compares a reading with the truth, attribute by attribute. */
    public static AttributeVerdict compare(ShapeAttributes read, ShapeAttributes truth) {
        return new AttributeVerdict(read.colour() == truth.colour(), read.kind() == truth.kind(),
                read.size() == truth.size(), read.position() == truth.position());
    }

    /** Whether all four are right: the spec's pass. */
    public boolean all() {
        return colour && kind && size && position;
    }
}
