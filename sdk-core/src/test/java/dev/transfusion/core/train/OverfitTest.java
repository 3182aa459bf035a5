package dev.transfusion.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.TrainingStep;
import dev.transfusion.core.model.ParameterLayout;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.parity.ReferenceFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Rung 3 of the ladder: the tiny model memorises one fixed batch. */
@Tag("learning")
class OverfitTest {

    @Test
    void aNonFiniteLossStopsTrainingWithTheStepNamedAndNoUpdate() throws Exception {
        Path dir = Path.of(OverfitTest.class.getResource("/fixtures/tiny/config.json").toURI()).getParent();
        ReferenceFixture f = ReferenceFixture.read(dir);
        var b = f.batch();
        float[] patches = b.rows().patches().clone();
        patches[b.patchDim() * 8] = Float.NaN;       // position 8 is an image position in row 0
        var poisoned = new dev.transfusion.core.data.PackedBatch(b.batch(), b.length(), b.patchDim(), b.rows().tokens(),
                b.targets(), b.rows().isImage(), patches, b.noise(), b.rows().timesteps(), b.rows().positions(), b.imageId(), b.rows().allowed());
        var graph = new TransfusionGraph(f.config(), f.parameters());
        var loop = new TrainingLoop(graph, new AdamW(AdamW.Settings.PAPER), new LearningRateSchedule(1e-3, 0, 5, 0.1),
                s -> s == 2 ? poisoned : b, 1);
        loop.step(s -> { });
        float[] before = graph.parameter("output.weight").dup().data().asFloat();
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.transfusion.api.TrainingDivergedException.class,
                () -> loop.step(s -> { }));
        assertTrue(e.getMessage().contains("step 2"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, graph.parameter("output.weight").dup().data().asFloat());
        org.junit.jupiter.api.Assertions.assertEquals(1, loop.step());
    }

    @Test
    void tinyModelDrivesTheLossOnOneBatchBelowFivePercentOfItsStart() throws Exception {
        Path dir = Path.of(OverfitTest.class.getResource("/fixtures/tiny/config.json").toURI()).getParent();
        ReferenceFixture f = ReferenceFixture.read(dir);
        var graph = new TransfusionGraph(f.config(), new ParameterLayout(f.config()).initialValues(7));
        int steps = 200;
        var loop = new TrainingLoop(graph, new AdamW(new AdamW.Settings(0.9, 0.95, 1e-8, 0.0, 1.0)),
                new LearningRateSchedule(1e-2, 20, steps, 0.1), s -> f.batch(), 7);
        List<TrainingStep> log = new ArrayList<>();
        loop.run(log::add, new Cancellation(), null, steps);
        double start = log.get(0).totalLoss(), end = log.get(log.size() - 1).totalLoss();
        System.err.println("overfit: total loss " + start + " -> " + end);
        assertTrue(end < 0.05 * start, "total loss went from " + start + " to " + end);
    }
}
