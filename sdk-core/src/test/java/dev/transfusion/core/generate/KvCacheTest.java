package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.data.PositionRows;
import dev.transfusion.core.model.GraphFeed;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.parity.ReferenceFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The cached forward must give what the full pass gives, for text steps and for image spans: both the
 * immediate-operations runner ({@link EagerForward}) and the graph's cached subgraph.
 */
class KvCacheTest {
    static TransfusionGraph graph;
    static TransfusionConfig c;
    static Map<String, float[]> parameters;

    @BeforeAll
    static void load() throws Exception {
        ReferenceFixture f = ReferenceFixture.read(Path.of(KvCacheTest.class.getResource("/fixtures/tiny/config.json")
                .toURI()).getParent());
        c = f.config();
        parameters = f.parameters();
        graph = new TransfusionGraph(c, parameters);
    }

    /** One row: BOS, 5 tokens, BOI, an image of 16 patches at step t, EOI, 2 tokens. */
    static PromptPositions sequence(int t) {
        PromptPositions ctx = new PromptPositions(c.patchDim());
        for (int id : new int[] {0, 7, 9, 11, 13, 17, 2}) {
            ctx.token(id);
        }
        float[][] patches = new float[16][c.patchDim()];
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        for (float[] p : patches) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) r.nextGaussian();
            }
        }
        ctx.image(patches, t, 4);
        ctx.token(3);
        ctx.token(21);
        ctx.token(23);
        return ctx;
    }

    /** The full (training-graph) pass over a whole context: logits [T, V] and eps [T, P]. */
    static Map<String, INDArray> fullPass(PromptPositions ctx) {
        PositionRows s = ctx.toRows(0);
        int t = s.length();
        PackedBatch b = new PackedBatch(s, new int[t], new float[s.patches().length], new int[t]);
        var ph = GraphFeed.of(graph, b);
        return graph.sameDiff().output(ph, TransfusionGraph.LOGITS, TransfusionGraph.EPS_HAT);
    }

    /**
     * {@code logits} [n, V] with the rows of span positions set to 0: only text positions have logits that
     * anything reads, and the eager forward computes no others.
     */
    static float[] atText(float[] logits, PositionRows rows) {
        float[] out = logits.clone();
        int v = logits.length / rows.count();
        for (int i = 0; i < rows.count(); i++) {
            if (rows.modality()[i] >= 0) {
                java.util.Arrays.fill(out, i * v, (i + 1) * v, 0f);
            }
        }
        return out;
    }

    static double maxDiff(float[] a, float[] b, int from, int to) {
        double d = 0;
        for (int i = from; i < to; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @ParameterizedTest(name = "eager {0}")
    @ValueSource(booleans = {true, false})
    void tokenByTokenWithTheCacheEqualsTheFullPass(boolean eager) {
        PromptPositions ctx = sequence(0);
        float[] full = fullPass(ctx).get(TransfusionGraph.LOGITS).dup().data().asFloat();
        int v = c.vocab(), total = ctx.size();
        // prefill all but the last three positions, then feed them one by one
        CachedForward fwd = new CachedForward(graph, eager);
        PromptPositions prefix = sequence(0);
        for (int i = 0; i < 3; i++) {
            prefix.tokens.remove(prefix.size() - 1);
            prefix.patches.remove(prefix.size());
            prefix.timesteps.remove(prefix.size());
            prefix.spanRun.remove(prefix.size());
            prefix.modality.remove(prefix.size());
        }
        PositionRows prefixRows = prefix.toRows(0);
        CachedForward.Result r = fwd.run(prefixRows, null);
        float[] firstPart = atText(r.logits(), prefixRows), fullAtText = atText(java.util.Arrays.copyOf(full,
                firstPart.length), prefixRows);
        assertTrue(maxDiff(firstPart, fullAtText, 0, firstPart.length) < 1e-5, "prefill logits differ");
        if (eager) {
            assertTrue(java.util.Arrays.equals(firstPart, r.logits()), "the eager forward's logits at span positions are 0");
        }
        KvCache cache = r.cache();
        for (int i = total - 3; i < total; i++) {
            PromptPositions one = new PromptPositions(c.patchDim());
            one.token(ctx.tokens.get(i));
            r = fwd.run(one.toRows((int) cache.length()), cache);
            cache = r.cache();
            float[] expected = java.util.Arrays.copyOfRange(full, i * v, (i + 1) * v);
            assertTrue(maxDiff(r.logits(), expected, 0, v) < 1e-5, "position " + i + " differs by "
                    + maxDiff(r.logits(), expected, 0, v));
        }
        assertTrue(cache.length() == total);
    }

    static PromptPositions tokens(int... ids) {
        PromptPositions ctx = new PromptPositions(c.patchDim());
        for (int id : ids) {
            ctx.token(id);
        }
        return ctx;
    }

    /** The last position's logits of the full pass over {@code ids}. */
    static float[] lastLogits(int... ids) {
        float[] full = fullPass(tokens(ids)).get(TransfusionGraph.LOGITS).dup().data().asFloat();
        return java.util.Arrays.copyOfRange(full, (ids.length - 1) * c.vocab(), ids.length * c.vocab());
    }

    @Test
    void decodingAppendsInTheSpareRoomWithoutCopyingTheCache() {
        CachedForward fwd = new CachedForward(graph, true);
        KvCache cache = fwd.run(tokens(0, 7, 9).toRows(0), null).cache();
        assertTrue(cache.capacity() > cache.length(), "no spare room: " + cache.capacity());
        INDArray buffer = cache.keyBuffer(0);
        for (int id : new int[] {11, 13, 17}) {
            cache = fwd.run(tokens(id).toRows((int) cache.length()), cache).cache();
            assertSame(buffer, cache.keyBuffer(0), "the cache was copied at length " + cache.length());
        }
        assertEquals(6, cache.length());
    }

    @ParameterizedTest(name = "eager {0}")
    @ValueSource(booleans = {true, false})
    void anInferenceGraphHasNoLossAndGivesTheSameOutputs(boolean eager) {
        TransfusionGraph inference = TransfusionGraph.forInference(c, parameters);
        assertFalse(inference.trainable());
        assertFalse(inference.sameDiff().hasVariable(TransfusionGraph.TOTAL_LOSS));
        assertFalse(inference.sameDiff().hasVariable(TransfusionGraph.TARGET_ROWS));
        PromptPositions ctx = sequence(300);
        float[] expected = new CachedForward(graph, eager).run(ctx.toRows(0), null).logits();
        float[] got = new CachedForward(inference, eager).run(sequence(300).toRows(0), null).logits();
        assertTrue(maxDiff(got, expected, 0, expected.length) == 0, "logits differ by " + maxDiff(got, expected, 0, expected.length));
    }

    @ParameterizedTest(name = "eager {0}")
    @ValueSource(booleans = {true, false})
    void twoContinuationsOfOnePrefixDoNotOverwriteEachOther(boolean eager) {
        CachedForward fwd = new CachedForward(graph, eager);
        KvCache prefix = fwd.run(tokens(0, 7, 9, 11).toRows(0), null).cache();
        KvCache a = fwd.run(tokens(13).toRows(4), prefix).cache();     // takes the prefix's spare room
        KvCache b = fwd.run(tokens(17).toRows(4), prefix).cache();     // must not write over a's position 4
        PromptPositions span = new PromptPositions(c.patchDim());
        span.image(sequence(0).patches.subList(7, 11).toArray(new float[0][]), 400, 4);
        fwd.peek(span.toRows(4), prefix);                              // a denoising step: claims nothing
        float[] afterA = fwd.run(tokens(2).toRows(5), a).logits(), afterB = fwd.run(tokens(2).toRows(5), b).logits();
        int v = c.vocab();
        assertTrue(maxDiff(afterA, lastLogits(0, 7, 9, 11, 13, 2), 0, v) < 1e-5, "the first continuation was overwritten");
        assertTrue(maxDiff(afterB, lastLogits(0, 7, 9, 11, 17, 2), 0, v) < 1e-5, "the second continuation differs");
    }

    @ParameterizedTest(name = "eager {0}")
    @ValueSource(booleans = {true, false})
    void anImageSpanAfterACachedPrefixEqualsTheFullPass(boolean eager) {
        int t = 321;
        PromptPositions ctx = sequence(t);
        float[] full = fullPass(ctx).get(TransfusionGraph.EPS_HAT).dup().data().asFloat();
        PromptPositions prefix = new PromptPositions(c.patchDim());
        for (int id : new int[] {0, 7, 9, 11, 13, 17, 2}) {
            prefix.token(id);
        }
        CachedForward fwd = new CachedForward(graph, eager);
        KvCache cache = fwd.run(prefix.toRows(0), null).cache();
        PromptPositions span = new PromptPositions(c.patchDim());
        float[][] patches = new float[16][];
        for (int i = 0; i < 16; i++) {
            patches[i] = ctx.patches.get(7 + i);
        }
        span.image(patches, t, 4);
        float[] eps = fwd.run(span.toRows(7), cache).epsHat();
        int p = c.patchDim();
        double d = maxDiff(eps, java.util.Arrays.copyOfRange(full, 7 * p, 23 * p), 0, 16 * p);
        assertTrue(d < 1e-5, "image span eps differs by " + d);
    }

    @ParameterizedTest(name = "eager {0}")
    @ValueSource(booleans = {true, false})
    void stackedConditionalAndUnconditionalRowsEqualSeparateRuns(boolean eager) {
        CachedForward fwd = new CachedForward(graph, eager);
        PromptPositions longer = new PromptPositions(c.patchDim());
        for (int id : new int[] {0, 7, 9, 11, 2}) {
            longer.token(id);
        }
        PromptPositions shorter = new PromptPositions(c.patchDim());
        shorter.token(0);
        shorter.token(2);
        KvCache a = fwd.run(longer.toRows(0), null).cache(), b = fwd.run(shorter.toRows(0), null).cache();
        float[][] patches = sequence(0).patches.subList(7, 23).toArray(new float[0][]);
        PromptPositions spanA = new PromptPositions(c.patchDim()), spanB = new PromptPositions(c.patchDim());
        spanA.image(patches, 500, 4);
        spanB.image(patches, 500, 4);
        float[] epsA = fwd.run(spanA.toRows(5), a).epsHat(), epsB = fwd.run(spanB.toRows(2), b).epsHat();

        KvCache both = KvCache.stack(a, b);
        int n = 16, total = 5, p = c.patchDim();
        boolean[] allowed = new boolean[2 * n * (total + n)];
        int[] pos = new int[2 * n];
        for (int r = 0; r < 2; r++) {
            int pad = r == 0 ? 0 : 3;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < total + n; j++) {
                    allowed[(r * n + i) * (total + n) + j] = j >= pad;
                }
                pos[r * n + i] = (r == 0 ? 5 : 2) + i;
            }
        }
        float[] pat = new float[2 * n * p];
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(patches[i], 0, pat, (r * n + i) * p, p);
            }
        }
        boolean[] img = new boolean[2 * n];
        java.util.Arrays.fill(img, true);
        int[] ts = new int[2 * n];
        java.util.Arrays.fill(ts, 500);
        float[] eps = fwd.run(new PositionRows(2, n, new int[2 * n], img, pat, ts, pos, allowed), both).epsHat();
        assertTrue(maxDiff(eps, epsA, 0, n * p) < 1e-5, "conditional row differs");
        double d = maxDiff(java.util.Arrays.copyOfRange(eps, n * p, 2 * n * p), epsB, 0, n * p);
        assertTrue(d < 1e-5, "unconditional row differs by " + d);
    }
}
