package dev.transfusion.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.model.GradientStep;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.parity.ReferenceFixture;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two data-parallel replicas against one graph on the same batch. */
class DataParallelTest {
    static ReferenceFixture f;

    @BeforeAll
    static void load() throws Exception {
        f = ReferenceFixture.read(Path.of(DataParallelTest.class.getResource("/fixtures/tiny/config.json").toURI()).getParent());
    }

    /** max |a - b| / max |b| over all entries. */
    static double relative(float[] a, float[] b) {
        double err = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            err = Math.max(err, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return scale == 0 ? err : err / scale;
    }

    static Map<String, float[]> copy(GradientStep s) {
        Map<String, float[]> out = new HashMap<>();
        s.gradients().forEach((k, v) -> out.put(k, v.dup('c').data().asFloat()));
        return out;
    }

    @Test
    void twoReplicasGiveTheSingleGraphsLossesAndGradients() {
        PackedBatch batch = f.batch();
        assertTrue(batch.batch() >= 2, "the fixture needs two rows to split, has " + batch.batch());
        GradientStep one = GradientStep.run(new TransfusionGraph(f.config(), f.parameters()), batch, false);
        Map<String, float[]> expected = copy(one);
        try (DataParallel two = new DataParallel(new TransfusionGraph(f.config(), f.parameters()), 2)) {
            GradientStep got = two.step(batch);
            assertEquals(one.lmLoss(), got.lmLoss(), 1e-5 * Math.abs(one.lmLoss()));
            assertEquals(one.ddpmLoss(), got.ddpmLoss(), 1e-5 * Math.abs(one.ddpmLoss()));
            assertEquals(one.totalLoss(), got.totalLoss(), 1e-5 * Math.abs(one.totalLoss()));
            assertEquals(expected.keySet(), got.gradients().keySet());
            expected.forEach((name, g) -> {
                double err = relative(got.gradients().get(name).dup('c').data().asFloat(), g);
                assertTrue(err < 1e-4, "gradient of " + name + ": relative difference " + err);
            });
        }
    }

    @Test
    void replicasTrainOnTheUpdatedWeightsStepAfterStep() {
        // after the first update, a replica with stale weights would give other gradients in the second step
        Map<Integer, Map<String, float[]>> after = new HashMap<>();
        for (int replicas : new int[] {1, 2}) {
            TransfusionGraph graph = new TransfusionGraph(f.config(), f.parameters());
            TrainingLoop loop = new TrainingLoop(graph, new AdamW(AdamW.Settings.PAPER),
                    new LearningRateSchedule(1e-2, 0, 3, 0.1), s -> f.batch(), 1).withReplicas(replicas);
            for (int s = 0; s < 3; s++) {
                loop.step(x -> { });
            }
            loop.close();
            Map<String, float[]> w = new HashMap<>();
            graph.parameterNames().forEach(n -> w.put(n, graph.parameter(n).dup('c').data().asFloat()));
            after.put(replicas, w);
        }
        after.get(1).forEach((name, w) -> {
            double err = relative(after.get(2).get(name), w);
            assertTrue(err < 1e-4, name + " after three steps: relative difference " + err);
        });
    }

    @Test
    void rowsOfABatchRenumberTheirImages() {
        PackedBatch b = f.batch();
        PackedBatch second = b.rows(1, 2);
        assertEquals(1, second.batch());
        int first = -1;
        for (int i = 0; i < b.length(); i++) {
            if (b.imageId()[b.length() + i] >= 0) {
                first = i;
                break;
            }
        }
        assertTrue(first >= 0, "row 1 of the fixture has an image");
        assertEquals(0, second.imageId()[first]);
        assertEquals(b.rows().tokens()[b.length() + first], second.rows().tokens()[first]);
    }
}
