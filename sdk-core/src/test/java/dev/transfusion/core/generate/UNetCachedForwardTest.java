package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.model.ParameterLayout;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.parity.ReferenceFixture;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With the U-Net patch coder, an image span denoised after a cached prefix gets what the full pass gives. */
class UNetCachedForwardTest {
    static TransfusionConfig unet;
    static TransfusionGraph graph;

    @BeforeAll
    static void build() throws Exception {
        ReferenceFixture f = ReferenceFixture.read(Path.of(UNetCachedForwardTest.class
                .getResource("/fixtures/tiny/config.json").toURI()).getParent());
        unet = f.config().withPatchCoder("unet");
        graph = new TransfusionGraph(unet, new ParameterLayout(unet).initialValues(1));
    }

    @Test
    void aUNetSpanAfterACachedPrefixEqualsTheFullPass() {
        int t = 321, p = unet.patchDim();
        float[] full = CausalSpansTest.fullEps(graph, CausalSpansTest.prompt(unet, t));
        PromptPositions prefix = new PromptPositions(unet);
        for (int id : new int[] {0, 7, 9, 2}) {
            prefix.token(id);
        }
        CachedForward fwd = new CachedForward(graph, false);
        KvCache cache = fwd.run(prefix.toRows(0), null).cache();
        PromptPositions span = new PromptPositions(unet);
        span.image(CausalSpansTest.patches(unet), t, 4);
        float[] eps = fwd.peek(span.toRows(4), cache).epsHat();
        double scale = KvCacheTest.maxDiff(full, new float[full.length], 4 * p, 20 * p);
        double d = KvCacheTest.maxDiff(eps, Arrays.copyOfRange(full, 4 * p, 20 * p), 0, 16 * p);
        assertTrue(scale > 1e-3, "the full pass predicts nothing: " + scale);
        assertTrue(d < 1e-4, "U-Net span eps differs from the full pass by " + d + " (values up to " + scale + ")");
    }

    @Test
    void stackedGuidedRowsOfAUNetModelEqualSeparateRuns() {
        CachedForward fwd = new CachedForward(graph, false);
        PromptPositions longer = new PromptPositions(unet), shorter = new PromptPositions(unet);
        for (int id : new int[] {0, 7, 9, 11, 2}) {
            longer.token(id);
        }
        shorter.token(0);
        shorter.token(2);
        KvCache a = fwd.run(longer.toRows(0), null).cache(), b = fwd.run(shorter.toRows(0), null).cache();
        float[][] patches = CausalSpansTest.patches(unet);
        PromptPositions spanA = new PromptPositions(unet), spanB = new PromptPositions(unet);
        spanA.image(patches, 500, 4);
        spanB.image(patches, 500, 4);
        float[] epsA = fwd.peek(spanA.toRows(5), a).epsHat(), epsB = fwd.peek(spanB.toRows(2), b).epsHat();
        int n = 16, p = unet.patchDim();
        float[] eps = fwd.peek(EagerUNetTest.stackedStep(unet, 5, 2), KvCache.stack(a, b)).epsHat();
        double dA = KvCacheTest.maxDiff(eps, epsA, 0, n * p);
        double dB = KvCacheTest.maxDiff(Arrays.copyOfRange(eps, n * p, 2 * n * p), epsB, 0, n * p);
        assertTrue(dA < 1e-4 && dB < 1e-4, "conditional row differs by " + dA + ", unconditional by " + dB);
    }
}
