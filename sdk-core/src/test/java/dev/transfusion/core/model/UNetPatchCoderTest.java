package dev.transfusion.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.TrainingStep;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.parity.ReferenceFixture;
import dev.transfusion.core.train.AdamW;
import dev.transfusion.core.train.LearningRateSchedule;
import dev.transfusion.core.train.TrainingLoop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The U-Net patch encoder/decoder option: wiring, gradients everywhere, and learning. */
class UNetPatchCoderTest {
    static PackedBatch batch;
    static TransfusionConfig unet;

    @BeforeAll
    static void load() throws Exception {
        ReferenceFixture f = ReferenceFixture.read(Path.of(UNetPatchCoderTest.class
                .getResource("/fixtures/tiny/config.json").toURI()).getParent());
        batch = f.batch();
        unet = f.config().withPatchCoder("unet");
    }

    @Test
    void replacesTheLinearCoderParameters() {
        var names = new ParameterLayout(unet).shapes().keySet();
        assertTrue(names.contains("unet.down.conv_in.weight") && names.contains("unet.up.conv_out.weight"));
        assertTrue(!names.contains("patch_in.weight") && !names.contains("patch_out.weight"));
    }

    @Test
    void predictsNoiseOnlyAtImagePositionsAndEveryParameterGetsAGradient() {
        var graph = new TransfusionGraph(unet, new ParameterLayout(unet).initialValues(1));
        GradientStep r = GradientStep.run(graph, batch, true);
        INDArray eps = r.outputs().get(TransfusionGraph.EPS_HAT);                  // [BT, P]
        assertEquals(batch.positionsCount(), eps.size(0));
        for (int i = 0; i < batch.positionsCount(); i++) {
            double norm = eps.getRow(i).norm2Number().doubleValue();
            if (batch.rows().isImage()[i]) {
                assertTrue(norm > 0, "image position " + i + " has no prediction");
            } else {
                assertEquals(0.0, norm, 0.0, "text position " + i);
            }
        }
        assertTrue(Double.isFinite(r.totalLoss()));
        for (String name : graph.parameterNames()) {
            INDArray g = r.gradients().get(name);
            assertTrue(g != null && g.norm2Number().doubleValue() > 0, "no gradient reaches " + name);
        }
    }

    @Test
    @Tag("learning")
    void learnsToDenoiseOneBatch() {
        var graph = new TransfusionGraph(unet, new ParameterLayout(unet).initialValues(2));
        int steps = 60;
        var loop = new TrainingLoop(graph, new AdamW(AdamW.Settings.PAPER),
                new LearningRateSchedule(3e-3, 5, steps, 0.1), s -> batch, 2);
        List<TrainingStep> log = new ArrayList<>();
        loop.run(log::add, new Cancellation(), null, steps);
        double start = log.get(0).ddpmLoss(), end = log.get(log.size() - 1).ddpmLoss();
        assertTrue(end < 0.5 * start, "U-Net DDPM loss went from " + start + " to " + end);
    }
}
