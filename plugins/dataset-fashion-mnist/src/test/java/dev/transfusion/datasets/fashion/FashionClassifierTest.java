package dev.transfusion.datasets.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.CheckpointException;
import dev.transfusion.api.RgbImage;
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
}
