package dev.transfusion.samples.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Evaluation;
import dev.transfusion.api.spi.Evaluation.Kind;
import dev.transfusion.api.spi.Evaluation.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html from a made-up evaluation: the run's time, failures with wrong attributes, QA, curve, config. */
class HtmlReportTest {
    @TempDir
    Path dir;

    private static Evaluation.Example example(boolean drawnRight, boolean answerRight) {
        byte[] white = new byte[32 * 32 * 3];
        java.util.Arrays.fill(white, (byte) 255);
        RgbImage img = new RgbImage(32, 32, white);   // no ink
        return new Evaluation.Example("a small red circle in the top left", img, img, "a small red circle in the "
                + "top left", "no shape", drawnRight ? List.of() : List.of("colour", "position"), true,
                "what colour is the shape?", "red", answerRight ? "red" : "blue", answerRight);
    }

    private static Evaluation evaluation(int n, List<Evaluation.Example> examples, List<Evaluation.Example> failures) {
        return new Evaluation("shapes-v1", "made up for the test", List.of(new Metric("n", "held-out samples",
                Kind.COUNT, n), new Metric("text_to_image_all", "text to image: all four attributes", Kind.SHARE, 0.95)),
                examples, failures);
    }

    private Path writeTrainingOutput() throws IOException {
        Path out = Files.createDirectories(dir.resolve("demo"));
        Path model = Files.createDirectories(out.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{\"vocab\": 320, \"dim\": 128, \"layers\": 4}");
        Files.createDirectories(out.resolve("checkpoint"));
        Files.writeString(out.resolve("checkpoint/training-state.json"), "{\"step\": 3500, \"total_steps\": 3500, "
                + "\"seed\": 7, \"peak_lr\": 0.0015, \"warmup\": 100, \"last_loss\": 0.5}");
        List<String> log = new ArrayList<>(List.of("step\ttotal_loss\tlm_loss\tddpm_loss\tgrad_norm\tlearning_rate\ttokens\tmillis"));
        for (int s = 1; s <= 500; s++) {
            log.add(s + "\t" + (5.0 / s + 0.3) + "\t" + (4.0 / s + 0.2) + "\t" + (0.5 / s + 0.05) + "\t1.0\t0.001\t2048\t1200.0");
        }
        Files.write(out.resolve("training-log.tsv"), log);
        return model;
    }

    @Test
    void theReportShowsTheDemosTimeFailuresQuestionsTheCurveAndTheConfiguration() throws IOException {
        Path model = writeTrainingOutput();
        var result = evaluation(200, List.of(example(true, true), example(false, false)), List.of(example(false, false)));
        Path html = dir.resolve("demo/report.html");
        HtmlReport.write(html, result, "samples.png", new HtmlReport.Run("transfusion demo --out out/demo", 31.6, 2.1,
                model, "ddim, 25 steps, guidance 3.0"));
        String page = Files.readString(html);
        assertTrue(page.contains("Made by <code>transfusion demo --out out/demo</code> in 31.6 minutes"), page);
        assertTrue(page.contains("training: 500 steps logged, 10.0 minutes of steps; evaluation: 2.1 minutes"), page);
        assertTrue(page.contains("<h2>Failures</h2>") && page.contains("wrong: colour, position"), page);
        assertTrue(page.contains("no shape"), "a blank drawing is read as no shape: " + page);
        assertTrue(page.contains("what colour is the shape?") && page.contains("(right: red)"), page);
        assertTrue(page.contains("<svg") && page.contains("<polyline"), page);
        assertTrue(page.contains("<td>training seed</td><td>7</td>"), page);
        assertTrue(page.contains("<td>model: dim</td><td>128</td>"), page);
        assertTrue(page.contains("sample i drawn with seed i"), page);
        assertTrue(page.contains("<td>text to image: all four attributes</td><td>95.0%</td>"), page);
        assertTrue(page.contains("data:image/png;base64,"), page);
    }

    @Test
    void withoutATrainingLogTheReportSaysWhereItLooked() throws IOException {
        Path model = Files.createDirectories(dir.resolve("elsewhere/model"));
        var result = evaluation(2, List.of(example(true, true)), List.of());
        Path html = dir.resolve("report.html");
        HtmlReport.write(html, result, "samples.png", new HtmlReport.Run("transfusion eval --model m", 0.5, 0.5, model,
                "ddim, 25 steps, guidance 3.0"));
        String page = Files.readString(html);
        assertTrue(page.contains("None of the 2 samples failed a task."), page);
        assertTrue(page.contains("No training log (training-log.tsv) beside the model in " + dir.resolve("elsewhere")), page);
        assertFalse(page.contains("<svg"), page);
    }
}
