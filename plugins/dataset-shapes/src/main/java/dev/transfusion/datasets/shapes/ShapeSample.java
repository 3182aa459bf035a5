package dev.transfusion.datasets.shapes;

import dev.transfusion.api.RgbImage;
import java.util.List;

/**
 * One generated shapes-v1 example.
 *
 * @param image      the drawn image, 32k x 32k
 * @param attributes what it shows
 * @param outline    where exactly the shape was drawn (after jitter, at the image's scale)
 */
public record ShapeSample(RgbImage image, ShapeAttributes attributes, ShapeOutline outline) {

    /** The caption, e.g. {@code a large red circle in the top left}. */
    public String caption() {
        return attributes.caption();
    }

    /** The four question/answer pairs. */
    public List<QuestionAnswer> questions() {
        return attributes.questions();
    }
}
