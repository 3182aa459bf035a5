package dev.transfusion.samples.bench;

import java.util.List;

/**
 * One cell of the scaling sweep: the bench configuration with some fields overridden, over {@code rows}
 * rows of {@code length} positions.
 *
 * @param axis      what the cell varies (width, length, vocabulary)
 * @param label     the value, as printed
 * @param overrides config overrides as JSON (the reference's field names)
 * @param rows      rows a step
 * @param length    positions a row
 */
public record SweepCell(String axis, String label, String overrides, int rows, int length) {

    /**
     * The grid, one factor at a time from the bench cell (dim 256, 8 x 256, vocabulary 512), which
     * is measured once: width 256/512/768 (heads 4/8/12, SwiGLU 704/1408/2048), length 8 x 256, 2 x 1024,
     * 1 x 2048, vocabulary 512, 8192, 50257.
     */
    public static List<SweepCell> grid() {
        return List.of(
                new SweepCell("base", "dim 256, 8x256, V 512", "{}", 8, 256),
                new SweepCell("width", "dim 512", "{\"dim\": 512, \"heads\": 8, \"ffn_hidden\": 1408}", 8, 256),
                new SweepCell("width", "dim 768", "{\"dim\": 768, \"heads\": 12, \"ffn_hidden\": 2048}", 8, 256),
                new SweepCell("length", "2x1024", "{}", 2, 1024),
                new SweepCell("length", "1x2048", "{}", 1, 2048),
                new SweepCell("vocabulary", "V 8192", "{\"vocab\": 8192}", 8, 256),
                new SweepCell("vocabulary", "V 50257", "{\"vocab\": 50257}", 8, 256));
    }
}
