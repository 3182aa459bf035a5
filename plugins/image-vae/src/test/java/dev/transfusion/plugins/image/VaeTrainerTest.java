package dev.transfusion.plugins.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.CheckpointException;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.datasets.shapes.ShapesDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeTrainerTest {
    @TempDir
    Path tmp;

    private static VaeTrainingOptions options(int steps, int decoderSteps, int checkpointEvery) {
        return new VaeTrainingOptions(steps, decoderSteps, 4, 2e-3, 1e-3, 2, 0.05, 16, 3, checkpointEvery);
    }

    @Test
    void aFinishedRunCanBeExtendedWithMoreSteps() {
        TrainingImages data = shapes32();
        VaeConfig c = TinyVae.config4x();
        VaeConfig first = VaeTrainer.start(tmp.resolve("b"), c, options(3, 0, 100), data).run(r -> { });
        assertThrows(InvalidInputException.class, () -> VaeTrainer.start(tmp.resolve("b"), c, options(6, 2, 100), data));
        VaeTrainer again = VaeTrainer.resume(tmp.resolve("b"), data, 6);
        assertEquals(3, again.step());
        // the first phase is over and its latent scale measured: the extra steps fine-tune the decoder
        assertEquals(3, again.options().autoencoderSteps());
        List<VaeTrainer.Phase> phases = new ArrayList<>();
        VaeConfig end = again.run(r -> phases.add(r.phase()));
        assertEquals(List.of(VaeTrainer.Phase.DECODER, VaeTrainer.Phase.DECODER, VaeTrainer.Phase.DECODER), phases);
        assertEquals(first.latentScale(), end.latentScale());
        assertThrows(InvalidInputException.class, () -> VaeTrainer.resume(tmp.resolve("b"), data, 4));
    }

    @Test
    void resumeAfterAnInterruptionMatchesAnUninterruptedRun() {
        TrainingImages data = shapes32();
        VaeConfig c = TinyVae.config4x();
        VaeTrainer.start(tmp.resolve("full"), c, options(5, 2, 2), data).run(r -> { });

        // interrupt at step 2 (just after a checkpoint) by failing in the listener
        VaeTrainer cut = VaeTrainer.start(tmp.resolve("cut"), c, options(5, 2, 2), data);
        assertThrows(IllegalStateException.class, () -> cut.run(r -> {
            if (r.step() == 3) {
                throw new IllegalStateException("power cut");
            }
        }));
        VaeTrainer resumed = VaeTrainer.resume(tmp.resolve("cut"), data, 0);
        assertEquals(2, resumed.step());
        List<Long> steps = new ArrayList<>();
        VaeConfig end = resumed.run(r -> steps.add(r.step()));
        assertEquals(List.of(3L, 4L, 5L), steps);
        assertEquals(VaeCodec.load(tmp.resolve("full")).config(), end);
        Map<String, float[]> wa = readWeights(tmp.resolve("full")), wb = readWeights(tmp.resolve("cut"));
        for (String name : wa.keySet()) {
            assertArrayEquals(wa.get(name), wb.get(name), 1e-6f, name);
        }
    }

    @Test
    void decoderFineTuneLeavesTheEncoderAlone() {
        VaeConfig c = TinyVae.config4x();
        TrainingImages data = shapes32();
        VaeTrainer.start(tmp.resolve("x"), c, options(2, 0, 100), data).run(r -> { });
        VaeTrainer.start(tmp.resolve("y"), c, options(4, 2, 100), data).run(r -> { });
        Map<String, float[]> x = readWeights(tmp.resolve("x")), y = readWeights(tmp.resolve("y"));
        for (String name : x.keySet()) {
            if (name.startsWith("enc.")) {
                assertArrayEquals(x.get(name), y.get(name), name);
            } else if (name.endsWith(".w")) {
                assertNotEquals(java.util.Arrays.toString(x.get(name)), java.util.Arrays.toString(y.get(name)), name);
            }
        }
    }

    @Test
    void aFinishedCodecWithoutStateCannotBeResumed() {
        TinyVae.save(TinyVae.config4x(), tmp.resolve("v"));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> VaeTrainer.resume(tmp.resolve("v"), shapes32(), 0));
        assertTrue(e.getMessage().contains("training-state.json"), e.getMessage());
    }

    @Test
    @Tag("learning")
    void aShortRunLowersTheReconstructionLoss() {
        VaeConfig c = new VaeConfig(32, 4, 4, new int[] {8, 16}, "silu", "l1", 1e-5, 4, 2, 1.0);
        VaeTrainingOptions o = new VaeTrainingOptions(80, 20, 16, 3e-3, 1e-3, 10, 0.05, 64, 1, 1000);
        List<Double> losses = new ArrayList<>();
        VaeConfig end = VaeTrainer.start(tmp.resolve("learn"), c, o, shapes32())
                .run(r -> losses.add(r.reconstruction()));
        double early = losses.subList(0, 10).stream().mapToDouble(d -> d).average().orElseThrow();
        double late = losses.subList(70, 80).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(late < 0.5 * early, "reconstruction loss went from " + early + " to " + late);
        assertTrue(Files.isRegularFile(tmp.resolve("learn/manifest.json")));
        assertNotEquals(1.0, end.latentScale());
    }

    private static Map<String, float[]> readWeights(Path dir) {
        VaeConfig c = VaeCodec.load(dir).config();
        return CodecDirectory.read(dir, t -> VaeNetwork.parameterShapes(c)).weights();
    }

    /** shapes-v1's training split, 32 x 32. */
    private static TrainingImages shapes32() {
        ShapesDataset train = ShapesDataset.of(ShapesDataset.Split.TRAIN);
        return TrainingImages.drawn(i -> train.sample(i).image(), 32);
    }
}
