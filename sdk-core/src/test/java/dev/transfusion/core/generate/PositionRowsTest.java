package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.EncodedDocument;
import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.data.PositionRows;
import dev.transfusion.core.data.SequencePacker;
import dev.transfusion.core.model.GraphFeed;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.parity.ReferenceFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link PositionRows} is the one input of both forward passes: rows the training packer made run through the
 * cached forward unchanged and give what the training graph gives, and a prompt laid out for generation is the
 * packer's row of the same document.
 */
class PositionRowsTest {
    static TransfusionGraph graph;
    static TransfusionConfig c;

    @BeforeAll
    static void load() throws Exception {
        ReferenceFixture f = ReferenceFixture.read(Path.of(PositionRowsTest.class.getResource("/fixtures/tiny/config.json")
                .toURI()).getParent());
        c = f.config();
        graph = new TransfusionGraph(c, f.parameters());
    }

    /** BOS, a caption, BOI, an 8 x 8 latent of 4 channels (16 patches) at step t, EOI, EOS. */
    static EncodedDocument document(int seed, int t) {
        var tokens = c.specialTokens();
        return EncodedDocument.of(EncodedDocument.tokens(tokens.bos(), 7 + seed, 9, 11, tokens.boi()),
                EncodedDocument.imageAt(latent(seed), t, null),
                EncodedDocument.tokens(tokens.eoi(), tokens.eos()));
    }

    /** An 8 x 8 latent of 4 channels drawn from {@code seed}. */
    static Latent latent(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x0 = new float[4 * 8 * 8];
        for (int i = 0; i < x0.length; i++) {
            x0[i] = (float) r.nextGaussian();
        }
        return new Latent(4, 8, 8, x0);
    }

    @ParameterizedTest(name = "eager {0}")
    @ValueSource(booleans = {true, false})
    void packedTrainingRowsRunThroughTheCachedForwardAsThroughTheTrainingGraph(boolean eager) {
        SequencePacker packer = new SequencePacker(c);
        // two rows: two documents and padding in the first, one document in the second
        List<EncodedDocument> docs = List.of(document(1, 300), document(2, 20), document(3, 700));
        int length = packer.length(docs.get(0)) * 2 + 3;
        PackedBatch batch = SequencePacker.stack(List.of(
                packer.packRow(docs.subList(0, 2), length, new SplittableRandom(5)),
                packer.packRow(docs.subList(2, 3), length, new SplittableRandom(6))));

        var out = graph.sameDiff().output(GraphFeed.of(graph, batch), TransfusionGraph.LOGITS, TransfusionGraph.EPS_HAT);
        CachedForward.Result cached = new CachedForward(graph, eager).run(batch.rows(), null);

        float[] eps = flat(out.get(TransfusionGraph.EPS_HAT));
        // logits at text positions: at span positions nothing reads them, and the eager forward computes none
        float[] logits = KvCacheTest.atText(flat(out.get(TransfusionGraph.LOGITS)), batch.rows());
        float[] cachedLogits = KvCacheTest.atText(cached.logits(), batch.rows());
        assertEquals(logits.length, cached.logits().length);
        assertTrue(maxDiff(logits, cachedLogits) < 1e-4, "logits differ by " + maxDiff(logits, cachedLogits));
        if (eager) {
            assertArrayEquals(cachedLogits, cached.logits(), "the eager forward's logits at span positions are 0");
        }
        float[] epsAtImages = masked(eps, batch.rows()), cachedAtImages = masked(cached.epsHat(), batch.rows());
        assertTrue(maxDiff(epsAtImages, cachedAtImages) < 1e-4, "eps differ by " + maxDiff(epsAtImages, cachedAtImages));
        assertEquals(2, cached.cache().batch());
        assertEquals(length, cached.cache().length());
    }

    @Test
    void aDenoisingStepGivesTheGraphsNoiseAndNoLogits() {
        PromptPositions prefix = new PromptPositions(c);
        for (int id : new int[] {c.specialTokens().bos(), 7, 9, c.specialTokens().boi()}) {
            prefix.token(id);
        }
        PromptPositions span = new PromptPositions(c);
        span.span(0, c.modalities().get(0).geometry().patchify(latent(6)), 400, c.specialTokens().pad());
        CachedForward onGraph = new CachedForward(graph, false), eager = new CachedForward(graph, true);
        KvCache past = eager.run(prefix.toRows(0), null).cache();
        CachedForward.Result want = onGraph.peek(span.toRows(4), past), got = eager.peek(span.toRows(4), past);
        assertEquals(16 * c.vocab(), want.logits().length, "the graph's subgraph computes every position's logits");
        assertEquals(0, got.logits().length, "the eager forward computes none for a step without text");
        assertTrue(maxDiff(want.epsHat(), got.epsHat()) < 1e-4, "eps differ by " + maxDiff(want.epsHat(), got.epsHat()));
    }

    @Test
    void aPromptLaidOutForGenerationIsThePackersRowOfTheSameDocument() {
        EncodedDocument doc = document(4, 250);
        PositionRows prompt = PromptPositions.of(doc, c).toRows(0);
        PositionRows packed = new SequencePacker(c).packRow(List.of(doc), prompt.length(), new SplittableRandom(1)).rows();
        assertArrayEquals(packed.tokens(), prompt.tokens());
        assertArrayEquals(packed.isImage(), prompt.isImage());
        assertArrayEquals(packed.timesteps(), prompt.timesteps());
        assertArrayEquals(packed.positions(), prompt.positions());
        assertArrayEquals(packed.allowed(), prompt.allowed());
        assertArrayEquals(packed.modality(), prompt.modality());
        assertEquals(packed.patchDim(), prompt.patchDim());
        assertEquals(0, prompt.past());
    }

    @Test
    void rowsThatDoNotMatchTheCacheOrTheirOwnSizesAreRefused() {
        PositionRows one = PromptPositions.of(document(5, 0), c).toRows(3);   // attends to 3 cached positions
        assertEquals(3, one.past());
        var e = assertThrows(IllegalArgumentException.class, () -> new CachedForward(graph, true).run(one, null));
        assertTrue(e.getMessage().contains("3 cached positions, the cache holds 0"), e.getMessage());
        var bad = assertThrows(InvalidInputException.class, () -> new PositionRows(1, 2, new int[2], new boolean[2],
                new float[0], new int[3], new int[2], new boolean[4], new int[] {-1, -1}));
        assertTrue(bad.getMessage().contains("timesteps needs 2 values, got 3"), bad.getMessage());
        var training = assertThrows(InvalidInputException.class, () -> new PackedBatch(one, new int[one.count()],
                new float[one.patches().length], new int[one.count()]));
        assertTrue(training.getMessage().contains("attend to 3 cached positions"), training.getMessage());
    }

    private static float[] flat(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    /** Each span position's patch values, 0 at text (whose eps the losses never read). */
    private static float[] masked(float[] eps, PositionRows rows) {
        float[] out = eps.clone();
        int p = rows.patchDim();
        for (int i = 0; i < rows.count(); i++) {
            if (!rows.isImage()[i]) {
                java.util.Arrays.fill(out, i * p, (i + 1) * p, 0f);
            }
        }
        return out;
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
