package dev.transfusion.api.spi;

import dev.transfusion.api.RgbImage;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link DataSetJudge} measured: named figures (in the order a report shows them) and a few judged
 * samples.
 *
 * @param title    what was evaluated, for a report's heading (e.g. {@code "shapes-v1"})
 * @param summary  one sentence a report prints under the heading (what chance would score, say)
 * @param metrics  the figures, as {@code metrics.json} writes them
 * @param examples the first few samples, for a picture
 * @param failures the first few samples where a task went wrong, for a report
 * @param grids    pictures of many drawn samples, a row per kind (per class, say), for a report
 */
public record Evaluation(String title, String summary, List<Metric> metrics, List<Example> examples,
                         List<Example> failures, List<Grid> grids) {

    public Evaluation {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(summary, "summary");
        metrics = List.copyOf(metrics);
        examples = List.copyOf(examples);
        failures = List.copyOf(failures);
        grids = List.copyOf(grids);
    }

    /** An evaluation without grids. */
    public Evaluation(String title, String summary, List<Metric> metrics, List<Example> examples,
                      List<Example> failures) {
        this(title, summary, metrics, examples, failures, List.of());
    }

    /** An evaluation that keeps no failures apart. */
    public Evaluation(String title, String summary, List<Metric> metrics, List<Example> examples) {
        this(title, summary, metrics, examples, List.of());
    }

    /** How a figure reads. */
    public enum Kind {
        /** A count (written as a whole number). */
        COUNT,
        /** A share in [0, 1] (shown as a percentage). */
        SHARE,
        /** Any other number. */
        VALUE
    }

    /**
     * One figure.
     *
     * @param key   its name in {@code metrics.json}, e.g. {@code "caption_accuracy"}
     * @param label what it means, for people
     * @param kind  how it reads
     * @param value the figure
     */
    public record Metric(String key, String label, Kind kind, double value) {
        public Metric {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * A judged sample for a picture.
     *
     * @param prompt    a held-out caption
     * @param generated the image drawn for it
     * @param truth     the held-out image
     * @param caption   the caption the model wrote for {@code truth}
     * @param drawnReading what the judge read in {@code generated}, in words ("" when it reads nothing in words)
     * @param drawnWrong   the attributes of {@code generated} the judge found wrong; empty when it is right
     * @param captionRight whether {@code caption} is right
     * @param question     the question asked about {@code truth} ("" when none was)
     * @param expectedAnswer its right answer
     * @param answer       the model's answer
     * @param answerRight  whether {@code answer} is right
     */
    public record Example(String prompt, RgbImage generated, RgbImage truth, String caption, String drawnReading,
                          List<String> drawnWrong, boolean captionRight, String question, String expectedAnswer,
                          String answer, boolean answerRight) {
        public Example {
            drawnWrong = List.copyOf(drawnWrong);
        }

        /** A sample judged only as a picture: nothing wrong, no question. */
        public Example(String prompt, RgbImage generated, RgbImage truth, String caption) {
            this(prompt, generated, truth, caption, "", List.of(), true, "", "", "", true);
        }

        /** Whether any task went wrong on this sample. */
        public boolean failed() {
            return !drawnWrong.isEmpty() || !captionRight || !answerRight;
        }
    }

    /**
     * Drawn samples in rows, each row one kind of prompt (a class, an attribute value), so that a person sees at a
     * glance whether every kind is drawn.
     *
     * @param title  what the grid shows, e.g. {@code "drawn images by class"}; also its file name's stem
     * @param labels each row's label
     * @param rows   each row's images, as many as drawn (rows may differ in length)
     */
    public record Grid(String title, List<String> labels, List<List<RgbImage>> rows) {
        public Grid {
            Objects.requireNonNull(title, "title");
            labels = List.copyOf(labels);
            rows = rows.stream().map(List::copyOf).toList();
            if (labels.size() != rows.size()) {
                throw new IllegalArgumentException("a grid needs one label per row: " + labels.size() + " labels, "
                        + rows.size() + " rows");
            }
        }

        /** The PNG's file name a report links: the title in lower case, words joined by '-'. */
        public String fileName() {
            return "grid-" + title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                    .replaceAll("^-|-$", "") + ".png";
        }
    }

    /** The figure named {@code key}. */
    public Metric metric(String key) {
        for (Metric m : metrics) {
            if (m.key().equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no metric '" + key + "' in the evaluation of " + title);
    }
}
