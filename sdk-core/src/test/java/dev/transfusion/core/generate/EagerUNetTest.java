package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.DiffusionSampler;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.Mode;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PositionRows;
import dev.transfusion.core.model.ParameterLayout;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.parity.ReferenceFixture;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The U-Net patch coder on the fast path ({@link EagerUNet} inside {@link EagerForward}) gives what the graph's
 * cached forward gives: a prompt with an image among its text, a span denoised after a cached prefix, stacked
 * guided rows, and several requests' spans in one batched pass.
 */
class EagerUNetTest {
    static TransfusionConfig unet;
    static TransfusionGraph graph;
    static CachedForward onGraph, eager;

    @BeforeAll
    static void build() throws Exception {
        ReferenceFixture f = ReferenceFixture.read(Path.of(EagerUNetTest.class
                .getResource("/fixtures/tiny/config.json").toURI()).getParent());
        unet = f.config().withPatchCoder("unet");
        graph = new TransfusionGraph(unet, new ParameterLayout(unet).initialValues(1));
        onGraph = new CachedForward(graph, false);
        eager = new CachedForward(graph, new Lanes(2));
    }

    static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + ": lengths");
        double scale = KvCacheTest.maxDiff(want, new float[want.length], 0, want.length);
        double d = KvCacheTest.maxDiff(want, got, 0, want.length);
        assertTrue(scale > 1e-3, what + ": the graph predicts nothing (" + scale + ")");
        assertTrue(d < 1e-4 * Math.max(1, scale), what + " differs from the graph's by " + d + " (values up to " + scale + ")");
    }

    @Test
    void aPromptWithAnImageAmongItsTextGivesTheGraphsNoiseLogitsAndCache() {
        PromptPositions prompt = CausalSpansTest.prompt(unet, 321);
        prompt.token(3);                                       // text after the image
        CachedForward.Result want = onGraph.run(prompt.toRows(0), null), got = eager.run(prompt.toRows(0), null);
        assertClose(want.epsHat(), got.epsHat(), "eps");
        assertClose(KvCacheTest.atText(want.logits(), prompt.toRows(0)), got.logits(), "logits (at text positions)");
        PromptPositions next = new PromptPositions(unet);
        next.token(5);
        int at = prompt.size();
        assertClose(onGraph.run(next.toRows(at), want.cache()).logits(), eager.run(next.toRows(at), got.cache()).logits(),
                "the next token's logits over the cache");
    }

    @Test
    void aSpanAfterACachedPrefixAndStackedGuidedRowsGiveTheGraphsNoise() {
        PromptPositions longer = new PromptPositions(unet), shorter = new PromptPositions(unet);
        for (int id : new int[] {0, 7, 9, 11, 2}) {
            longer.token(id);
        }
        shorter.token(0);
        shorter.token(2);
        KvCache a = onGraph.run(longer.toRows(0), null).cache(), b = onGraph.run(shorter.toRows(0), null).cache();
        PromptPositions span = new PromptPositions(unet);
        span.image(CausalSpansTest.patches(unet), 500, 4);
        assertClose(onGraph.peek(span.toRows(5), a).epsHat(), eager.peek(span.toRows(5), a).epsHat(), "one span");
        PositionRows stacked = stackedStep(unet, 5, 2);
        KvCache both = KvCache.stack(a, b);
        assertClose(onGraph.peek(stacked, both).epsHat(), eager.peek(stacked, both).epsHat(), "stacked guided rows");
    }

    /** Two rows of the same 16-patch span of {@code c} at timestep 500, after prefixes of {@code lenA} and {@code lenB}. */
    static PositionRows stackedStep(TransfusionConfig c, int lenA, int lenB) {
        float[][] patches = CausalSpansTest.patches(c);
        int n = 16, p = c.patchDim();
        boolean[] allowed = SpanDenoiser.spanMask(n, Math.max(lenA, lenB), new long[] {lenA, lenB}, true);
        int[] pos = new int[2 * n], ts = new int[2 * n], kind = new int[2 * n];
        float[] pat = new float[2 * n * p];
        boolean[] img = new boolean[2 * n];
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < n; i++) {
                pos[r * n + i] = (r == 0 ? lenA : lenB) + i;
                System.arraycopy(patches[i], 0, pat, (r * n + i) * p, p);
            }
        }
        Arrays.fill(img, true);
        Arrays.fill(ts, 500);
        return new PositionRows(2, n, new int[2 * n], img, pat, ts, pos, allowed, kind);
    }

    @Test
    void aUNetModelGeneratesOnTheFastPathAsOnTheGraphAndBatches() throws Exception {
        TransfusionConfig c = unet.withLatentSize(ImagePart.MODALITY, 8, 8);
        TransfusionGraph g = new TransfusionGraph(c, new ParameterLayout(c).initialValues(3));
        var codecs = Map.of(ImagePart.MODALITY, FakeModalities.PIXELS);
        Generator slow = new Generator(new CachedForward(g, false), c, FakeModalities.LETTERS, codecs);
        Generator fast = new Generator(new CachedForward(g, new Lanes(2)), c, FakeModalities.LETTERS, codecs);
        GenerationOptions o = GenerationOptions.builder().mode(Mode.IMAGE).diffusionSteps(4)
                .sampler(DiffusionSampler.DDIM).seed(9L).build();
        GenerationResult want = slow.generate(Document.text("a red circle"), o), got = fast.generate(Document.text("a red circle"), o);
        assertEquals(1, got.images().size());
        byte[] a = want.images().get(0).rgb(), b = got.images().get(0).rgb();
        int worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs((a[i] & 255) - (b[i] & 255)));
        }
        assertTrue(worst <= 1, "the fast path's image differs from the graph's by up to " + worst + " levels");
        assertTrue(BatchScheduler.supports(c), "a U-Net model is not batched");
        try (BatchScheduler batch = new BatchScheduler(g, 4)) {
            Generator batched = new Generator(batch, FakeModalities.LETTERS, codecs);
            GenerationOptions o2 = GenerationOptions.builder().mode(Mode.IMAGE).diffusionSteps(4)
                    .sampler(DiffusionSampler.DDIM).seed(10L).build();
            List<GenerationResult> two = BatchSchedulerTest.together(List.of(
                    () -> batch.session(() -> batched.generate(Document.text("a red circle"), o)),
                    () -> batch.session(() -> batched.generate(Document.text("blue"), o2))));
            assertEquals(fast.generate(Document.text("a red circle"), o), two.get(0), "batched with another request");
            assertEquals(fast.generate(Document.text("blue"), o2), two.get(1));
            assertFalse(two.get(1).images().isEmpty());
        }
    }

    @Test
    void aSpanThatIsNotASquareGridIsRefusedNamingItsSize() {
        PromptPositions span = new PromptPositions(unet);
        span.image(Arrays.copyOf(CausalSpansTest.patches(unet), 12), 500, 4);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> eager.run(span.toRows(0), null));
        assertTrue(e.getMessage().contains("needs square images; got a span of 12 patches"), e.getMessage());
    }
}
