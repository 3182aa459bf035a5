package dev.transfusion.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.core.parity.ReferenceFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Table rows looked up outside the graph, and the graph's inputs free of the vocabulary. */
class TokenRowsTest {

    @Test
    void gatherCopiesTheRowsAndZeroesMissingOnes() {
        INDArray table = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        assertArrayEquals(new float[] {5, 6, 0, 0, 1, 2, 5, 6}, TokenRows.gather(table, new int[] {2, -1, 0, 2}, "token"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenRows.gather(table, new int[] {0, 3}, "token"));
        assertEquals("token 3 at position 1 outside vocabulary 3", e.getMessage());
    }

    @Test
    void scatterAddSumsRepeatedRowsAndSkipsMissingOnes() {
        INDArray into = Nd4j.createFromArray(new float[][] {{1, 1}, {0, 0}, {0, 0}});
        INDArray grad = Nd4j.createFromArray(new float[][] {{1, 2}, {10, 20}, {3, 4}, {100, 200}});
        TokenRows.scatterAdd(grad, new int[] {2, -1, 2, 0}, into);
        assertArrayEquals(new float[] {101, 201, 0, 0, 4, 6}, into.data().asFloat());
    }

    @Test
    void noPlaceholderOfTheGraphHasAVocabularySizedDimension() throws Exception {
        ReferenceFixture f = ReferenceFixture.read(Path.of(TokenRowsTest.class
                .getResource("/fixtures/tiny/config.json").toURI()).getParent());
        TransfusionGraph graph = new TransfusionGraph(f.config(), f.parameters());
        int v = f.config().vocab();
        assertTrue(v != f.config().dim() && v != f.config().patchDim() + 1, "the check needs a distinct vocabulary size");
        int placeholders = 0;
        for (SDVariable p : graph.sameDiff().variables()) {
            if (p.isPlaceHolder()) {
                placeholders++;
                long[] shape = p.getShape();
                for (long s : shape) {
                    assertFalse(s == v, p.name() + " has a vocabulary-sized dimension " + java.util.Arrays.toString(shape));
                }
            }
        }
        assertTrue(placeholders > 10, "placeholders found: " + placeholders);
    }
}
