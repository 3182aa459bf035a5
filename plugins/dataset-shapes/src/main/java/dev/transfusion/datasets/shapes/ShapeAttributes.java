package dev.transfusion.datasets.shapes;

import java.util.List;
import java.util.Objects;

/**
 * What a shapes-v1 image shows: one of the 6 x 3 x 2 x 5 = 180 attribute combinations.
 *
 * @param colour   fill colour
 * @param kind     circle, square or triangle
 * @param size     small or large
 * @param position where the shape's box is centred
 */
public record ShapeAttributes(ShapeColour colour, ShapeKind kind, ShapeSize size, ShapePosition position) {
    /** How many combinations there are. */
    public static final int COMBINATIONS = 180;

    public ShapeAttributes {
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(position, "position");
    }

    /**
     * Combination {@code i} of 180, colour slowest and position fastest: i = ((colour * 3 + kind) * 2 + size)
     * * 5 + position, in the enums' declaration order.
     */
    public static ShapeAttributes ofIndex(int i) {
        if (i < 0 || i >= COMBINATIONS) {
            throw new IllegalArgumentException("combination index must be in [0, 180), got " + i);
        }
        return new ShapeAttributes(ShapeColour.values()[i / 30], ShapeKind.values()[i / 10 % 3],
                ShapeSize.values()[i / 5 % 2], ShapePosition.values()[i % 5]);
    }

    /** The caption: {@code a {size} {colour} {shape} in the {position}}, e.g. {@code a large red circle in the top left}. */
    public String caption() {
        return "a " + size.word() + " " + colour.word() + " " + kind.word() + " in the " + position.words();
    }

    /** The spec's four question/answer pairs, in the spec's order: colour, shape, position, size. */
    public List<QuestionAnswer> questions() {
        return List.of(new QuestionAnswer(QuestionAnswer.COLOUR, colour.word()),
                new QuestionAnswer(QuestionAnswer.SHAPE, kind.word()),
                new QuestionAnswer(QuestionAnswer.POSITION, position.words()),
                new QuestionAnswer(QuestionAnswer.SIZE, size.word()));
    }
}
