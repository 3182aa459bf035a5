package dev.transfusion.datasets.shapes;

import java.util.List;

/**
 * A shapes-v1 question about an image and its expected answer.
 *
 * @param question one of the four spec questions, exactly as written there
 * @param answer   the attribute word(s), e.g. {@code "red"} or {@code "top left"}
 */
public record QuestionAnswer(String question, String answer) {
    /** Asks for the colour. */
    public static final String COLOUR = "what color is the shape?";
    /** Asks for the shape. */
    public static final String SHAPE = "what shape is it?";
    /** Asks for the position. */
    public static final String POSITION = "where is the shape?";
    /** Asks for the size. */
    public static final String SIZE = "is the shape large or small?";
    /** The four questions, in the spec's order. */
    public static final List<String> QUESTIONS = List.of(COLOUR, SHAPE, POSITION, SIZE);
}
