package dev.transfusion.core.generate;

import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PositionRows;
import dev.transfusion.core.model.GraphFeed;
import dev.transfusion.core.model.TransfusionGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs new positions ({@link PositionRows} after the cached past) through the graph's cached forward: they
 * attend to the cached past and to each other as {@code allowed} says, and their keys and values are appended to
 * the cache that comes back. This runs in plain arrays and direct BLAS calls ({@link EagerForward}, either patch
 * coder), several times faster than a SameDiff session; {@code -Dtransfusion.eagerForward=false} runs the graph's
 * cached subgraph instead.
 */
public final class CachedForward {
    // -Dtransfusion.eagerForward=false runs the graph's cached subgraph always (to measure the difference)
    private static final boolean EAGER = Boolean.parseBoolean(System.getProperty("transfusion.eagerForward", "true"));

    private final TransfusionGraph graph;
    private final TransfusionConfig c;
    private final @Nullable EagerForward eager;
    private final @Nullable BatchScheduler batch;   // when set, steps join other callers' passes there

    /** A runner over {@code graph}'s cached subgraph. */
    public CachedForward(TransfusionGraph graph) {
        this(graph, EAGER);
    }

    CachedForward(TransfusionGraph graph, boolean eager) {
        this(graph, eager && EagerForward.supports(graph.config()) ? new EagerForward(graph) : null);
    }

    /** A runner whose eager passes split their rows over {@code lanes} (tests compare lane counts). */
    CachedForward(TransfusionGraph graph, Lanes lanes) {
        this(graph, EagerForward.supports(graph.config()) ? new EagerForward(graph, lanes) : null);
    }

    private CachedForward(TransfusionGraph graph, @Nullable EagerForward eager) {
        this.graph = graph;
        this.c = graph.config();
        this.eager = eager;
        this.batch = null;
    }

    /** A runner whose steps run in {@code batch}'s shared passes (continuous batching across callers). */
    public CachedForward(BatchScheduler batch) {
        this.graph = batch.graph();
        this.c = graph.config();
        this.eager = null;
        this.batch = batch;
    }

    /**
     * What came out.
     *
     * @param logits [B, S, V]; at span positions, which no loss or sampler reads, the eager forward computes none
     *               and leaves 0, and for a step with no text position (a denoising step) it gives an empty
     *               array (the graph's subgraph computes them all)
     * @param epsHat [B, S, P] each position's predicted noise in its modality's first P_m columns
     * @param cache  the past with the new positions appended
     */
    public record Result(float[] logits, float[] epsHat, KvCache cache) {
    }

    /** Runs {@code step} after {@code past} (null: nothing cached yet); the result's cache keeps the new positions. */
    public Result run(PositionRows s, @Nullable KvCache past) {
        return run(s, past, true);
    }

    /**
     * Runs {@code step} after {@code past} for its outputs only: the new positions' keys and values go to the
     * past's spare room without claiming it ({@link KvCache#peek}), so repeated steps after one prefix (the
     * denoising loop, scoring) copy nothing. The result's cache is valid until {@code past} grows again.
     */
    public Result peek(PositionRows s, KvCache past) {
        return run(s, past, false);
    }

    private Result run(PositionRows s, @Nullable KvCache past, boolean keep) {
        String pre = TransfusionGraph.CACHED;
        int b = s.batch();
        long tp = past == null ? 0 : past.length();
        if (s.past() != tp) {
            throw new IllegalArgumentException("the rows attend to " + s.past() + " cached positions, the cache holds "
                    + tp);
        }
        if (batch != null) {
            return batch.run(s, past, keep);
        }
        if (eager != null) {
            return eager.run(s, past, keep);
        }
        Map<String, INDArray> ph = new HashMap<>();
        GraphFeed.putSequence(c, pre, graph.parameter(TransfusionGraph.TOKEN_EMBEDDINGS), s, imageIds(s), ph);
        List<String> outs = new ArrayList<>(List.of(pre + TransfusionGraph.LOGITS));
        c.modalities().forEach(m -> outs.add(TransfusionGraph.epsHat(pre, m)));
        for (int i = 0; i < c.layers(); i++) {
            INDArray k = past == null ? Nd4j.create(DataType.FLOAT, b, c.heads(), 0, c.headDim()) : past.keys(i);
            INDArray v = past == null ? Nd4j.create(DataType.FLOAT, b, c.heads(), 0, c.headDim()) : past.values(i);
            ph.put(pre + TransfusionGraph.PAST_K + i, k);
            ph.put(pre + TransfusionGraph.PAST_V + i, v);
            outs.add(pre + TransfusionGraph.NEW_K + i);
            outs.add(pre + TransfusionGraph.NEW_V + i);
        }
        Map<String, INDArray> r = graph.sameDiff().output(ph, outs);
        INDArray[] keys = new INDArray[c.layers()], values = new INDArray[c.layers()];
        for (int i = 0; i < c.layers(); i++) {
            keys[i] = r.get(pre + TransfusionGraph.NEW_K + i);
            values[i] = r.get(pre + TransfusionGraph.NEW_V + i);
        }
        List<float[]> eps = new ArrayList<>();
        c.modalities().forEach(m -> eps.add(r.get(TransfusionGraph.epsHat(pre, m)).dup('c').data().asFloat()));
        return new Result(r.get(pre + TransfusionGraph.LOGITS).dup('c').data().asFloat(),
                GraphFeed.mergeEps(c, s.modality(), eps), new KvCache(keys, values));
    }

    /** Span ids: each unbroken run of one modality's positions in a row is one span. */
    private static int[] imageIds(PositionRows s) {
        int[] ids = new int[s.isImage().length];
        int next = -1;
        for (int i = 0; i < ids.length; i++) {
            boolean starts = s.isImage()[i] && (i % s.length() == 0 || !s.isImage()[i - 1]
                    || s.modality()[i] != s.modality()[i - 1]);
            next += starts ? 1 : 0;
            ids[i] = s.isImage()[i] ? next : -1;
        }
        return ids;
    }
}
