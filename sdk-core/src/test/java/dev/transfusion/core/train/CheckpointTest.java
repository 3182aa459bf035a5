package dev.transfusion.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.CheckpointException;
import dev.transfusion.api.TrainingStep;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.model.ParameterLayout;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.parity.ReferenceFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: exact resume, atomic writes, and refusal of damaged or foreign directories. */
class CheckpointTest {
    static ReferenceFixture fixture;

    @BeforeAll
    static void load() throws Exception {
        fixture = ReferenceFixture.read(Path.of(CheckpointTest.class.getResource("/fixtures/tiny/config.json").toURI())
                .getParent());
    }

    /** Batches that change with the step, so that the data position matters too. */
    static PackedBatch batchFor(long step) {
        PackedBatch b = fixture.batch();
        float[] patches = b.rows().patches().clone();
        for (int i = 0; i < patches.length; i++) {
            patches[i] *= (float) (1 + 0.1 * Math.sin(step + i));
        }
        return new PackedBatch(b.batch(), b.length(), b.patchDim(), b.rows().tokens(), b.targets(), b.rows().isImage(), patches,
                b.noise(), b.rows().timesteps(), b.rows().positions(), b.imageId(), b.rows().allowed());
    }

    static TrainingLoop loop(TransfusionConfig c, Map<String, float[]> weights, long total) {
        return new TrainingLoop(new TransfusionGraph(c, weights), new AdamW(AdamW.Settings.PAPER),
                new LearningRateSchedule(3e-3, 2, total, 0.1), CheckpointTest::batchFor, 11).withWeightAverage(0.9);
    }

    @Test
    void resumingReplaysTheUninterruptedRunBitForBit(@TempDir Path tmp) {
        TransfusionConfig c = fixture.config();
        Map<String, float[]> init = new ParameterLayout(c).initialValues(3);
        List<TrainingStep> straight = new ArrayList<>();
        TrainingLoop a = loop(c, init, 6);
        a.run(straight::add, new Cancellation(), null, 100);

        List<TrainingStep> resumed = new ArrayList<>();
        TrainingLoop b = loop(c, init, 6);
        Cancellation stop = new Cancellation();
        b.run(s -> {
            resumed.add(s);
            if (s.step() == 3) {
                stop.cancel();
            }
        }, stop, null, 100);
        b.checkpoint().write(tmp.resolve("ckpt"));

        Checkpoint saved = Checkpoint.read(tmp.resolve("ckpt"));
        assertEquals(3, saved.state().step());
        TrainingLoop c2 = loop(saved.config(), saved.weights(), 6);
        c2.restore(saved);
        c2.run(resumed::add, new Cancellation(), null, 100);

        assertEquals(6, resumed.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(straight.get(i).totalLoss(), resumed.get(i).totalLoss(), 0.0, "step " + (i + 1));
            assertEquals(straight.get(i).gradNorm(), resumed.get(i).gradNorm(), 0.0, "step " + (i + 1));
        }
        Checkpoint end1 = a.checkpoint(), end2 = c2.checkpoint();
        for (String name : end1.weights().keySet()) {
            assertArrayEquals(end1.weights().get(name), end2.weights().get(name), name);
            assertArrayEquals(end1.secondMoments().get(name), end2.secondMoments().get(name), name);
            assertArrayEquals(end1.averageWeights().get(name), end2.averageWeights().get(name), name);
        }
    }

    Checkpoint sample() {
        TransfusionConfig c = fixture.config();
        return new Checkpoint(c, fixture.parameters(), Map.of(), Map.of(), Map.of(), new TrainingState(5, 10, 1, 3e-4, 2, 1.5));
    }

    @Test
    void weightsRoundTripExactly(@TempDir Path tmp) {
        sample().write(tmp.resolve("c"));
        Checkpoint back = Checkpoint.read(tmp.resolve("c"));
        assertEquals(fixture.config(), back.config());
        fixture.parameters().forEach((k, v) -> assertArrayEquals(v, back.weights().get(k), k));
        assertEquals(5, back.state().step());
        assertTrue(back.firstMoments().isEmpty());
    }

    @Test
    void aTruncatedFileIsRefusedByName(@TempDir Path tmp) throws IOException {
        sample().write(tmp.resolve("c"));
        Path f = tmp.resolve("c/weights/param.output.weight.npy");
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length / 2));
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.read(tmp.resolve("c")));
        assertTrue(e.getMessage().contains("param.output.weight.npy"), e.getMessage());
    }

    @Test
    void anEditedFileIsRefusedByName(@TempDir Path tmp) throws IOException {
        sample().write(tmp.resolve("c"));
        Path f = tmp.resolve("c/training-state.json");
        Files.writeString(f, Files.readString(f).replace("\"step\" : 5", "\"step\" : 9"));
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.read(tmp.resolve("c")));
        assertTrue(e.getMessage().contains("training-state.json") && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aWrongVersionIsRefused(@TempDir Path tmp) throws IOException {
        sample().write(tmp.resolve("c"));
        Path f = tmp.resolve("c/manifest.json");
        Files.writeString(f, Files.readString(f).replace("\"version\" : 1", "\"version\" : 99"));
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.read(tmp.resolve("c")));
        assertTrue(e.getMessage().contains("manifest.json") && e.getMessage().contains("99"), e.getMessage());
    }

    @Test
    void aFailedWriteLeavesThePreviousCheckpointIntact(@TempDir Path tmp) {
        Path dir = tmp.resolve("c");
        sample().write(dir);
        // a checkpoint missing a weight fails midway through writing
        Map<String, float[]> partial = new java.util.LinkedHashMap<>(fixture.parameters());
        partial.remove("norm.weight");
        Checkpoint broken = new Checkpoint(fixture.config(), partial, Map.of(), Map.of(), Map.of(),
                new TrainingState(6, 10, 1, 3e-4, 2, 1.0));
        var e = assertThrows(CheckpointException.class, () -> broken.write(dir));
        assertTrue(e.getMessage().contains("previous version is intact"), e.getMessage());
        assertEquals(5, Checkpoint.read(dir).state().step());
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(dir), left.toList(), "no temporary directories left behind");
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void aDirectoryWithoutManifestIsNotACheckpoint(@TempDir Path tmp) {
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.read(tmp));
        assertTrue(e.getMessage().contains("manifest.json"), e.getMessage());
    }
}
