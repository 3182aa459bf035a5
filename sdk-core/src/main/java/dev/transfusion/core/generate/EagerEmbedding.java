package dev.transfusion.core.generate;

import static dev.transfusion.core.generate.RowProducts.at;
import static dev.transfusion.core.generate.RowProducts.pointer;

import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PositionRows;
import dev.transfusion.core.diffusion.TimestepFeatures;
import dev.transfusion.core.model.TransfusionGraph;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A step's input rows for {@link EagerForward}: token embeddings, patch encoders and timestep embeddings. */
final class EagerEmbedding {
    private final TransfusionGraph graph;
    private final TransfusionConfig c;
    private final @Nullable EagerUNet[] unets;   // per modality, null for a linear coder
    private final java.util.Map<Long, float[]> timeRows = new java.util.concurrent.ConcurrentHashMap<>();

    EagerEmbedding(TransfusionGraph graph, @Nullable EagerUNet[] unets) {
        this.graph = graph;
        this.c = graph.config();
        this.unets = unets;
    }

    /**
     * Input rows: a token's embedding at text positions; at a continuous modality's positions the patch through
     * that modality's linear encoder plus its span's timestep embedding (each unbroken run of one modality's
     * positions is one span). A U-Net modality's spans get only the timestep embedding here and go to
     * {@code unetSpans} (their rows counted from {@code first}), for the pass to encode them all at once.
     */
    float[] rows(PositionRows s, int first, List<EagerUNet.Span> unetSpans) {
        int n = s.batch() * s.length(), d = c.dim(), p = c.patchDim(), v = c.vocab();
        float[] x = new float[n * d];
        FloatPointer table = pointer(graph.parameter("tok_embeddings.weight"));                           // [V, D]
        for (int i = 0; i < n; i++) {
            if (!s.isImage()[i]) {
                int tok = s.tokens()[i];
                if (tok < 0 || tok >= v) {
                    throw new IllegalArgumentException("token " + tok + " at position " + i + " outside vocabulary " + v);
                }
                at(table, (long) tok * d).get(x, i * d, d);
            }
        }
        for (int k = 0; k < c.modalities().size(); k++) {
            ModalityConfig mod = c.modalities().get(k);
            int pm = mod.patchDim(), spans = 0, m = 0;
            int[] spanOf = new int[n], spanT = new int[n];
            for (int i = 0; i < n; i++) {
                if (s.modality()[i] == k) {
                    if (i % s.length() == 0 || s.modality()[i - 1] != k) {
                        spanT[spans++] = s.timesteps()[i];
                    }
                    spanOf[i] = spans - 1;
                    m++;
                }
            }
            if (m == 0) {
                continue;
            }
            float[] patches = new float[m * pm];
            for (int i = 0, j = 0; i < n; i++) {
                if (s.modality()[i] == k) {
                    System.arraycopy(s.patches(), i * p, patches, j++ * pm, pm);
                }
            }
            String mp = mod.prefix();
            float[] encoded = unets[k] != null ? new float[m * d]                              // [m, D]
                    : linear(patches, m, pm, mp + "patch_in");
            float[] time = new float[spans * d];                                          // [spans, D]
            for (int span = 0; span < spans; span++) {
                System.arraycopy(timeRow(k, spanT[span]), 0, time, span * d, d);
            }
            if (unets[k] != null) {
                unetSpans.addAll(EagerUNet.Span.of(k, s.modality(), s.length(), first, patches, pm, time, d));
            }
            for (int i = 0, j = 0; i < n; i++) {
                if (s.modality()[i] == k) {
                    int r = j++, span = spanOf[i];
                    for (int e = 0; e < d; e++) {
                        x[i * d + e] = encoded[r * d + e] + time[span * d + e];
                    }
                }
            }
        }
        return x;
    }

    /**
     * Modality k's timestep embedding of t [D], kept: every span of a denoising step shares its t (a guided
     * pair, the images of a batch), and the same t recur image after image (at most diffusion steps x D floats
     * a modality). One row alone gets the bits it gets among others (RowProducts' token rows).
     */
    private float[] timeRow(int k, int t) {
        return timeRows.computeIfAbsent(((long) k << 32) | t, key -> {
            String mp = c.modalities().get(k).prefix();
            float[] hidden = linear(TimestepFeatures.of(new int[] {t}, c.timeFreqDim()), 1, c.timeFreqDim(),
                    mp + "time_embed.0");
            Activations.silu(hidden, 0, hidden.length);
            return linear(hidden, 1, c.dim(), mp + "time_embed.2");
        });
    }

    /** in W^T + bias for rows of {@code in} [rows, k]. */
    private float[] linear(float[] in, int rows, int k, String module) {
        INDArray weight = graph.parameter(module + ".weight");
        int out = (int) weight.size(0);
        float[] r = new float[rows * out];
        try (FloatPointer src = new FloatPointer(Math.max(1L, (long) rows * k));
             FloatPointer dst = new FloatPointer(Math.max(1L, (long) rows * out))) {
            src.put(in);
            RowProducts.matT(src, 0, rows, k, weight, dst, 0f, rows <= RowProducts.TOKEN_ROWS ? rows : 0);
            dst.get(r);
        }
        RowProducts.addBias(r, graph.parameter(module + ".bias").data().asFloat());
        return r;
    }
}
