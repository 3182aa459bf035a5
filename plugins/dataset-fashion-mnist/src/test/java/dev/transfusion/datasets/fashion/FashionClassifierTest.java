package dev.transfusion.datasets.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.CheckpointException;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Evaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judge learns from the real training split (a short run: the full recipe's >= 0.90 is measured by the
 * probe, see docs), reads the same after a save and load, and refuses a damaged directory by file.
 */
@Tag("learning")
class FashionClassifierTest {

    @Test
    void aShortRunLearnsTheClassesAndSurvivesASaveAndLoad(@TempDir Path dir) {
        FashionMnist train = FashionMnist.open(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TRAIN);
        FashionMnist test = FashionMnist.open(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST);
        FashionClassifier c = ClassifierTrainer.train(train, 250, 7, s -> { });
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            images.add(test.image(i));
        }
        FashionClassifier.Reading[] r = c.read(images);
        int right = 0;
        for (int i = 0; i < r.length; i++) {
            right += r[i].label() == test.label(i) ? 1 : 0;
        }
        assertTrue(right >= 650, "250 steps should pass 0.65 on held-out images (chance 0.10), got " + right / 1000.0);

        judgesAnOracleAboveABlankModel(c, test);

        Path saved = dir.resolve("judge");
        ClassifierDirectory.save(saved, c);
        FashionClassifier.Reading[] again = ClassifierDirectory.load(saved).read(images.subList(0, 20));
        for (int i = 0; i < 20; i++) {
            assertEquals(r[i].label(), again[i].label());
            assertArrayEquals(r[i].features(), again[i].features(), 1e-6f);
        }
    }

    @Test
    void aDamagedJudgeIsRefusedByFile(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("judge");
        ClassifierDirectory.save(saved, new FashionClassifier(ClassifierNetwork.initialize(1)));
        Path weight = saved.resolve("param.out.w.npy");
        byte[] bytes = Files.readAllBytes(weight);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weight, bytes);
        String m = assertThrows(CheckpointException.class, () -> ClassifierDirectory.load(saved)).getMessage();
        assertTrue(m.contains("param.out.w.npy") && m.contains("corrupt"), m);
    }

    /** The judge through the SPI's shape: a model that draws real images of the asked class beats a blank one. */
    private static void judgesAnOracleAboveABlankModel(FashionClassifier c, FashionMnist test) {
        FashionEvaluation judge = new FashionEvaluation(FashionMnist.DEFAULT_DIR, () -> c);
        GenerationOptions o = GenerationOptions.DEFAULTS;
        Evaluation right = judge.evaluate(new FashionOracle(test, true), 60, o, 2, done -> { });
        Evaluation blank = judge.evaluate(new FashionOracle(test, false), 60, o, 0, done -> { });
        assertEquals(1.0, right.metric("caption_accuracy").value());
        assertEquals(1.0, right.metric("answer_accuracy").value());
        assertEquals(0.0, blank.metric("caption_accuracy").value());
        assertTrue(right.metric("text_to_image_class").value() >= 0.6, right.metrics().toString());
        assertTrue(blank.metric("text_to_image_class").value() <= 0.2, blank.metrics().toString());
        assertTrue(right.metric("frechet").value() < blank.metric("frechet").value(), right.metrics() + " / "
                + blank.metrics());
        assertTrue(right.metric("frechet_floor").value() > 0);
        assertEquals(2, right.examples().size());
        // the grid: a row per class, six drawings each (60 = 6 of every class)
        Evaluation.Grid grid = right.grids().get(0);
        assertEquals(10, grid.rows().size());
        assertEquals("ankle boot", grid.labels().get(9));
        assertEquals("grid-drawn-images-by-class.png", grid.fileName());
        assertTrue(grid.rows().stream().allMatch(r -> r.size() == 6), grid.rows().toString());
    }
}
