package dev.transfusion.samples.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Evaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@code report.html}, one self-contained page: how it was made and how long it took, the metrics, the samples
 * picture, the samples that went wrong (with the attributes the judge found wrong), questions and answers, the
 * training curve from the trainer's log, and the configuration and seeds of training and evaluation.
 */
public final class HtmlReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the report was made.
     *
     * @param command      the command line a reader would type to make it again
     * @param minutes      that command's wall time
     * @param evalMinutes  the evaluation's own part of it
     * @param model        the model directory (its config.json; the training output, its parent, holds the
     *                     training log and the checkpoint's training state)
     * @param imageOptions how images were drawn, in words (sampler, steps, guidance)
     */
    public record Run(String command, double minutes, double evalMinutes, Path model, String imageOptions) {
    }

    private HtmlReport() {
    }

    /** Writes the report; {@code picture} is the samples PNG's file name next to it. */
    public static void write(Path html, Evaluation result, String picture, Run run) {
        int n = result.metrics().stream().filter(x -> x.key().equals("n")).mapToInt(x -> (int) x.value())
                .findFirst().orElse(0);
        Path trainOut = run.model().toAbsolutePath().normalize().getParent();
        List<TrainingCurve.Point> curve = TrainingCurve.read(trainOut.resolve("training-log.tsv"));
        String title = esc("Transfusion on " + result.title());
        StringBuilder p = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\">"
                + "<title>" + title + "</title><style>body{font-family:sans-serif;margin:2em;max-width:72em}"
                + "td,th{padding:4px 10px;text-align:left;vertical-align:top}tr:nth-child(odd){background:#f3f3f3}"
                + "img.px{width:96px;height:96px;image-rendering:pixelated;border:1px solid #ccc}.bad{color:#b00020}.ok{color:#0a7d32}"
                + "code{background:#eee;padding:1px 4px}</style></head><body>\n"
                + "<h1>" + title + "</h1>\n<p>" + esc(result.summary()) + "</p>\n");
        p.append("<p>Made by <code>").append(esc(run.command())).append("</code> in ")
                .append(String.format(Locale.ROOT, "%.1f", run.minutes())).append(" minutes");
        if (!curve.isEmpty()) {
            p.append(String.format(Locale.ROOT, " (training: %d steps logged, %.1f minutes of steps; evaluation: "
                    + "%.1f minutes)", curve.size(), TrainingCurve.minutes(curve), run.evalMinutes()));
        }
        p.append(".</p>\n<h2>Metrics</h2>\n<table>");
        for (Evaluation.Metric m : result.metrics()) {
            p.append(row(m.label(), switch (m.kind()) {
                case SHARE -> pct(m.value());
                case COUNT -> String.valueOf((long) m.value());
                case VALUE -> String.format(Locale.ROOT, "%.3f", m.value());
            }));
        }
        p.append("</table>\n");
        p.append("<h2>The first samples</h2>\n<img src=\"").append(esc(picture))
                .append("\" alt=\"prompts with drawn images, and held-out images with captions\">\n");
        for (Evaluation.Grid grid : result.grids()) {   // written beside the report by eval
            p.append("<h2>").append(esc(grid.title())).append("</h2>\n<img src=\"").append(esc(grid.fileName()))
                    .append("\" alt=\"").append(esc(grid.title())).append("\">\n");
        }
        failures(p, result.failures(), n);
        questions(p, result.examples());
        p.append("<h2 id=\"curve\">Training curve</h2>\n");
        if (curve.isEmpty()) {
            p.append("<p>No training log (training-log.tsv) beside the model in ").append(esc(trainOut.toString()))
                    .append(": the curve is drawn from the log <code>train</code> writes there.</p>\n");
        } else {
            p.append(TrainingCurve.svg(curve)).append("\n<p>Loss by optimizer step, from ")
                    .append(esc(trainOut.resolve("training-log.tsv").toString()))
                    .append(" (means over windows of steps; logarithmic axis).</p>\n");
        }
        configuration(p, run, trainOut);
        p.append("</body></html>\n");
        try {
            Files.writeString(html, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + html + ": " + e.getMessage(), e);
        }
    }

    /** The samples where a task went wrong: what was asked, what came out, what the judge found wrong. */
    private static void failures(StringBuilder p, List<Evaluation.Example> failures, int n) {
        p.append("<h2>Failures</h2>\n");
        if (failures.isEmpty()) {
            p.append("<p>None of the ").append(n).append(" samples failed a task.</p>\n");
            return;
        }
        p.append("<p>The first ").append(failures.size()).append(" samples (of ").append(n)
                .append(") where the drawn image, the caption or the answer was judged wrong.</p>\n<table><tr>"
                        + "<th>prompt</th><th>drawn</th><th>the judge read</th><th>held-out image</th>"
                        + "<th>caption written</th><th>question, answer</th></tr>\n");
        for (Evaluation.Example e : failures) {
            p.append("<tr><td>").append(esc(e.prompt())).append("</td><td>").append(img(e.generated()))
                    .append("</td><td>").append(esc(shown(e.drawnReading())))
                    .append("<br>").append(e.drawnWrong().isEmpty() ? mark(true, "right")
                            : mark(false, "wrong: " + String.join(", ", e.drawnWrong())))
                    .append("</td><td>").append(img(e.truth())).append("</td><td>").append(esc(shown(e.caption())))
                    .append("<br>").append(mark(e.captionRight(), e.captionRight() ? "right" : "wrong"))
                    .append("</td><td>").append(qa(e)).append("</td></tr>\n");
        }
        p.append("</table>\n");
    }

    private static void questions(StringBuilder p, List<Evaluation.Example> examples) {
        p.append("<h2>Questions</h2>\n<table><tr><th>image</th><th>question</th><th>answer</th><th>right answer</th>"
                + "</tr>\n");
        for (Evaluation.Example e : examples) {
            if (e.question().isEmpty()) {
                continue;
            }
            p.append("<tr><td>").append(img(e.truth())).append("</td><td>").append(esc(e.question()))
                    .append("</td><td>").append(mark(e.answerRight(), e.answer())).append("</td><td>")
                    .append(esc(e.expectedAnswer())).append("</td></tr>\n");
        }
        p.append("</table>\n");
    }

    /** The model's configuration, the training's recipe and seed, and how the evaluation drew and read. */
    private static void configuration(StringBuilder p, Run run, Path trainOut) {
        p.append("<h2>Configuration and seeds</h2>\n<table>");
        JsonNode state = json(trainOut.resolve("checkpoint/training-state.json"));
        if (state != null) {
            p.append(row("training seed", esc(state.path("seed").asText())))
                    .append(row("training steps", esc(state.path("step").asText() + " of "
                            + state.path("total_steps").asText())))
                    .append(row("peak learning rate, warm-up steps", esc(state.path("peak_lr").asText() + ", "
                            + state.path("warmup").asText())));
        } else {
            p.append(row("training state", "not found (" + esc(trainOut.resolve("checkpoint").toString()) + ")"));
        }
        p.append(row("evaluation: images", esc(run.imageOptions()) + "; sample i drawn with seed i"))
                .append(row("evaluation: captions and answers", "greedy (temperature 0), up to 16 tokens"));
        JsonNode config = json(run.model().resolve("config.json"));
        if (config != null) {
            config.fields().forEachRemaining(f -> p.append(row("model: " + f.getKey(), esc(f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()))));
        }
        p.append("</table>\n");
    }

    private static String qa(Evaluation.Example e) {
        return esc(e.question()) + "<br>" + mark(e.answerRight(), e.answer())
                + (e.answerRight() ? "" : " (right: " + esc(e.expectedAnswer()) + ")");
    }

    private static String mark(boolean right, String text) {
        return "<span class=\"" + (right ? "ok" : "bad") + "\">" + (right ? "&#10003; " : "&#10007; ")
                + esc(shown(text)) + "</span>";
    }

    /** A model's text as a reader should see it: an empty one said so. */
    private static String shown(String text) {
        return text.isBlank() ? "(nothing)" : text;
    }

    /** An image inline as a PNG data URL, drawn large with square pixels. */
    private static String img(RgbImage image) {
        return "<img class=\"px\" alt=\"\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(image.encodePng()) + "\">";
    }

    private static @Nullable JsonNode json(Path file) {
        try {
            return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
        } catch (IOException e) {
            return null;   // a damaged file leaves its rows out, not the report
        }
    }

    private static String row(String name, String value) {
        return "<tr><td>" + esc(name) + "</td><td>" + value + "</td></tr>";
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
