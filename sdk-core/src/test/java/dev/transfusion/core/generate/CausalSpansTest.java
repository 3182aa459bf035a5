package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.core.ConfigOverrides;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.data.PositionRows;
import dev.transfusion.core.model.GraphFeed;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.parity.ReferenceFixture;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Assertions;

/**
 * The paper's ablation of attention inside an image: with {@code span_attention: causal} every path (the
 * training graph's packed mask, a prompt's positions, the denoiser's span rows) lets a patch see only the
 * patches before it, and the cached forward still equals the full pass.
 */
class CausalSpansTest {
    static TransfusionConfig bidirectional, causal;
    static Map<String, float[]> parameters;

    @BeforeAll
    static void load() throws Exception {
        ReferenceFixture f = ReferenceFixture.read(Path.of(CausalSpansTest.class.getResource("/fixtures/tiny/config.json")
                .toURI()).getParent());
        bidirectional = f.config();
        causal = ConfigOverrides.apply(bidirectional, "{\"span_attention\": \"causal\"}", "--config");
        parameters = f.parameters();
    }

    /** BOS, two tokens, BOI, then the fixture's image of 16 patches at step t. */
    static PromptPositions prompt(TransfusionConfig c, int t) {
        PromptPositions ctx = new PromptPositions(c);
        for (int id : new int[] {0, 7, 9, 2}) {
            ctx.token(id);
        }
        ctx.image(patches(c), t, 4);
        return ctx;
    }

    static float[][] patches(TransfusionConfig c) {
        float[][] patches = new float[16][c.patchDim()];
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        for (float[] p : patches) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) r.nextGaussian();
            }
        }
        return patches;
    }

    /** eps_hat [T, P] of the training graph over a prompt's positions and mask. */
    static float[] fullEps(TransfusionGraph graph, PromptPositions ctx) {
        PositionRows s = ctx.toRows(0);
        int t = s.length(), p = graph.config().patchDim();
        PackedBatch b = new PackedBatch(1, t, p, s.tokens(), new int[t], s.isImage(), s.patches(), new float[t * p],
                s.timesteps(), s.positions(), new int[t], s.allowed());
        return graph.sameDiff().output(GraphFeed.of(graph, b), TransfusionGraph.EPS_HAT).get(TransfusionGraph.EPS_HAT)
                .dup().data().asFloat();
    }

    @Test
    void aPromptsSpanIsMaskedCausallyOnlyWhenTheConfigSaysSo() {
        boolean[] both = prompt(bidirectional, 0).toRows(0).allowed(), onlyBefore = prompt(causal, 0).toRows(0).allowed();
        int s = 20, first = 4;
        assertTrue(both[first * s + first + 15], "bidirectional: the first patch sees the last");
        assertFalse(onlyBefore[first * s + first + 15], "causal: the first patch must not see the last");
        assertTrue(onlyBefore[(first + 15) * s + first], "causal: the last patch sees the first");
        assertTrue(onlyBefore[first * s + 3], "causal: a patch still sees the text before the span");
    }

    @Test
    void theDenoisersSpanRowsFollowTheSameRuleAsAPromptsSpan() {
        // one unguided row after 4 cached positions: the span part must equal a prompt's span mask
        for (boolean bidi : new boolean[] {true, false}) {
            boolean[] rows = SpanDenoiser.spanMask(16, 4, new long[] {4}, bidi);
            boolean[] prompt = prompt(bidi ? bidirectional : causal, 0).toRows(0).allowed();
            for (int i = 0; i < 16; i++) {
                assertArrayEquals(Arrays.copyOfRange(prompt, (4 + i) * 20, (5 + i) * 20),
                        Arrays.copyOfRange(rows, i * 20, (i + 1) * 20), "patch " + i + (bidi ? " bidirectional" : " causal"));
            }
        }
        // a guided pair: the shorter prefix's left padding stays hidden in the causal rows too
        boolean[] guided = SpanDenoiser.spanMask(2, 3, new long[] {3, 1}, false);
        assertArrayEquals(new boolean[] {true, true, true, true, false}, Arrays.copyOfRange(guided, 0, 5));
        assertArrayEquals(new boolean[] {false, false, true, true, true}, Arrays.copyOfRange(guided, 15, 20));
    }

    @ParameterizedTest(name = "eager {0}")
    @ValueSource(booleans = {true, false})
    void aCausalSpanAfterACachedPrefixEqualsTheFullPassAndDiffersFromBidirectional(boolean eager) {
        TransfusionGraph graph = new TransfusionGraph(causal, parameters);
        int t = 321, p = causal.patchDim();
        float[] full = fullEps(graph, prompt(causal, t));
        PromptPositions prefix = new PromptPositions(causal);
        for (int id : new int[] {0, 7, 9, 2}) {
            prefix.token(id);
        }
        CachedForward fwd = new CachedForward(graph, eager);
        KvCache cache = fwd.run(prefix.toRows(0), null).cache();
        PromptPositions span = new PromptPositions(causal);
        span.image(patches(causal), t, 4);
        float[] eps = fwd.run(span.toRows(4), cache).epsHat();
        double d = KvCacheTest.maxDiff(eps, Arrays.copyOfRange(full, 4 * p, 20 * p), 0, 16 * p);
        assertTrue(d < 1e-5, "causal span eps differs from the full pass by " + d);

        // causal, the first patch sees only the text and itself: its estimate must change
        float[] bidi = fullEps(new TransfusionGraph(bidirectional, parameters), prompt(bidirectional, t));
        assertTrue(KvCacheTest.maxDiff(full, bidi, 4 * p, 5 * p) > 1e-4, "the first patch ignored the mask");
    }

    @Test
    void anUnknownSpanAttentionIsRefusedNamingTheField() {
        InvalidInputException e = Assertions.assertThrows(InvalidInputException.class,
                () -> ConfigOverrides.apply(bidirectional, "{\"span_attention\": \"sideways\"}", "--config"));
        assertTrue(e.getMessage().contains("span_attention") && e.getMessage().contains("sideways")
                && e.getMessage().contains("causal"), e.getMessage());
    }
}
