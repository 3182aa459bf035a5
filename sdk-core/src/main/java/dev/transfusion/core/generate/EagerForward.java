package dev.transfusion.core.generate;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

import static dev.transfusion.core.generate.RowProducts.at;
import static dev.transfusion.core.generate.RowProducts.pointer;

import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.PatchCoderType;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PositionRows;
import dev.transfusion.core.model.GraphFeed;
import dev.transfusion.core.model.TransfusionGraph;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The cached forward pass in plain Java arrays and direct BLAS calls on the graph's own weights, with no
 * SameDiff session and no ND4J operation in between. Same contract and numbers as the graph's cached forward
 * ({@code KvCacheTest} holds both to the full pass); a U-Net coder's spans go through {@link EagerUNet}.
 *
 * <p>Why: a decoding or denoising step is a few hundred small operations. A SameDiff session spends far
 * longer on each (dependency tracking, shape inference, output allocation, oneDNN primitives rebuilt as the
 * cached length grows) than the arithmetic takes; so do ND4J's immediate operations (0.1-0.8 ms each here).
 * The products go to the same OpenBLAS that ND4J uses; the elementwise work is a few loops.
 */
final class EagerForward {
    // -Dtransfusion.batchExact=false: text rows of a batched pass share its sgemm too (faster, but their numbers
    // then differ from the unbatched ones by float rounding, which can change a sampled token or a pixel)
    private static final boolean EXACT = !"false".equals(System.getProperty("transfusion.batchExact"));

    private final TransfusionGraph graph;
    private final TransfusionConfig c;
    private final Lanes lanes;
    private final @Nullable EagerUNet[] unets;   // per modality: its U-Net coder, null for a linear one
    private final EagerEmbedding embedding;
    private final java.util.Map<Integer, float[][]> ropeRows = new java.util.concurrent.ConcurrentHashMap<>();

    EagerForward(TransfusionGraph graph) {
        this(graph, Lanes.shared());
    }

    /** A runner splitting its passes' rows over {@code lanes}. */
    EagerForward(TransfusionGraph graph, Lanes lanes) {
        this.graph = graph;
        this.c = graph.config();
        this.lanes = lanes;
        this.unets = new EagerUNet[c.modalities().size()];
        for (int k = 0; k < unets.length; k++) {
            ModalityConfig m = c.modalities().get(k);
            unets[k] = m.coder() == PatchCoderType.UNET ? new EagerUNet(graph, m) : null;
        }
        this.embedding = new EagerEmbedding(graph, unets);
    }

    /** Whether this runner can replace the graph's cached forward for {@code config}: every coder is one it runs. */
    static boolean supports(TransfusionConfig config) {
        return config.modalities().stream().allMatch(m -> m.coder() == PatchCoderType.LINEAR
                || m.coder() == PatchCoderType.UNET);
    }

    /** Runs {@code s} after {@code past}; {@code keep}: the result's cache claims the new positions (see {@link KvCache#peek}). */
    CachedForward.Result run(PositionRows s, @Nullable KvCache past, boolean keep) {
        return runAll(List.of(new Segment(s, past, keep))).get(0);
    }

    /**
     * One step of one caller in a batched pass: its new positions, its own cache (of its own length and rows)
     * and whether the result claims the new positions.
     */
    record Segment(PositionRows step, @Nullable KvCache past, boolean keep) {
    }

    /**
     * Runs several callers' steps as one pass (continuous batching): their positions go through every
     * position-wise product (norms, projections, feed-forward, output) as rows of one matrix, so each weight is
     * read once for all of them; attention runs per segment and row over that segment's own cache. Each
     * segment's results are bit for bit those of {@link #run} alone (unless {@code transfusion.batchExact} is off).
     */
    List<CachedForward.Result> runAll(List<Segment> segments) {
        try (Scratch scratch = new Scratch()) {
            return runAll(segments, scratch);
        }
    }

    private List<CachedForward.Result> runAll(List<Segment> given, Scratch scratch) {
        // Segments of at most TOKEN_ROWS rows (decoded tokens) first: their rows are RowProducts' token rows; the
        // others' rows share padded sgemm calls. Either way every segment gets the numbers it gets alone, bit for
        // bit, on however many lanes the pass is split
        List<Segment> segments = new ArrayList<>(given);
        segments.sort(java.util.Comparator.comparing(sg -> sg.step().batch() * sg.step().length() > TOKEN_ROWS));
        int count = segments.size(), d = c.dim(), f = c.ffnHidden();
        int[] from = new int[count + 1], tp = new int[count];            // segment i's rows are from[i]..from[i+1]
        KvCache[] caches = new KvCache[count];
        int widest = 0;
        for (int i = 0; i < count; i++) {
            PositionRows s = segments.get(i).step();
            KvCache past = segments.get(i).past();
            int len = s.length();
            tp[i] = past == null ? 0 : (int) past.length();
            KvCache start = past != null ? past : KvCache.empty(c.layers(), s.batch(), c.heads(), c.headDim(),
                    len + Math.max(len, 256));
            caches[i] = segments.get(i).keep() ? start.grow(len) : start.peek(len);   // room for the new positions
            from[i + 1] = from[i] + s.batch() * len;
            widest = Math.max(widest, len * (tp[i] + len));
        }
        int n = from[count], single = 0;   // rows of the small segments, at the front
        for (int i = 0; i < count && from[i + 1] - from[i] <= TOKEN_ROWS && (EXACT || count == 1); i++) {
            single = from[i + 1];
        }
        // pieces a split asks for: from the rows that share sgemm calls, and from the token rows only when several
        // callers' tokens share the pass. A token alone stays on one core: both cores would read every weight for
        // its one row, which is what a decoding step is bound by
        int pieces = Math.max((n - single) / MIN_LANE_ROWS, single / MIN_LANE_TOKENS);
        float[] x = new float[n * d];                                                  // [n, D]
        float[] cos = new float[n * d], sin = new float[n * d];
        List<EagerUNet.Span> unetSpans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PositionRows s = segments.get(i).step();
            System.arraycopy(embedding.rows(s, from[i], unetSpans), 0, x, from[i] * d, (from[i + 1] - from[i]) * d);
            int[] positions = s.positions();
            for (int r = 0; r < positions.length; r++) {
                float[][] at = rope(positions[r]);
                System.arraycopy(at[0], 0, cos, (from[i] + r) * d, d);
                System.arraycopy(at[1], 0, sin, (from[i] + r) * d, d);
            }
        }
        float[][] rope = {cos, sin};
        lanes.split(unetSpans.size(), unetSpans.size(), (lo, hi, lane) -> {    // each U-Net span's encoder, x += enc
            for (int j = lo; j < hi; j++) {
                unetSpans.get(j).encode(unets[unetSpans.get(j).modality()], x, d);
            }
        });
        FloatPointer a = scratch.floats((long) n * d), q = scratch.floats((long) n * d), k = scratch.floats((long) n * d);
        FloatPointer v = scratch.floats((long) n * d), merged = scratch.floats((long) n * d), xp = scratch.floats((long) n * d);
        FloatPointer gate = scratch.floats((long) n * f), up = scratch.floats((long) n * f);
        FloatPointer[] scores = new FloatPointer[Math.min(Math.max(pieces, 1), lanes.count())];
        float[][] row = new float[scores.length][];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = scratch.floats(widest);
            row[i] = new float[widest];
        }
        float[] qa = new float[n * d], ka = new float[n * d], va = new float[n * d], normed = new float[n * d];
        float[] swapped = new float[n * d];   // rotate's scratch: each lane writes its own rows
        float[] g = new float[n * f], u = new float[n * f];
        Attention[] jobs = attentionJobs(segments);
        for (int i = 0; i < c.layers(); i++) {
            String l = "layers." + i + ".";
            int layer = i, rowsSingle = single;
            float[] attnNorm = values(w(l + "attention_norm.weight")), ffnNorm = values(w(l + "ffn_norm.weight"));
            lanes.split(n, pieces, (lo, hi, lane) -> {                               // q, k, v of rows lo..hi
                int at = lo * d, size = (hi - lo) * d;
                rmsNorm(x, normed, attnNorm, lo, hi);
                at(a, at).put(normed, at, size);
                RowProducts.matT(a, lo, hi, d, w(l + "attention.wq.weight"), q, 0f, rowsSingle);
                RowProducts.matT(a, lo, hi, d, w(l + "attention.wk.weight"), k, 0f, rowsSingle);
                RowProducts.matT(a, lo, hi, d, w(l + "attention.wv.weight"), v, 0f, rowsSingle);
                at(q, at).get(qa, at, size);
                at(k, at).get(ka, at, size);
                at(v, at).get(va, at, size);
                rotate(qa, rope, swapped, at, at + size);
                rotate(ka, rope, swapped, at, at + size);
                at(q, at).put(qa, at, size);
            });
            for (int sgm = 0; sgm < count; sgm++) {                 // the new keys and values into each cache
                PositionRows s = segments.get(sgm).step();
                write(pointer(caches[sgm].keyBuffer(i)), ka, from[sgm], s.batch(), s.length(), tp[sgm], caches[sgm].capacity());
                write(pointer(caches[sgm].valueBuffer(i)), va, from[sgm], s.batch(), s.length(), tp[sgm], caches[sgm].capacity());
            }
            lanes.split(jobs.length, pieces, (lo, hi, lane) -> {
                for (int j = lo; j < hi; j++) {
                    Attention job = jobs[j];
                    attend(segments.get(job.segment).step(), caches[job.segment], layer, tp[job.segment],
                            from[job.segment], job.row, job.head, q, merged, scores[lane], row[lane]);
                }
            });
            lanes.split(n, pieces, (lo, hi, lane) -> {                               // the rest of the layer
                int at = lo * d, size = (hi - lo) * d;
                at(xp, at).put(x, at, size);
                RowProducts.matT(merged, lo, hi, d, w(l + "attention.wo.weight"), xp, 1f, rowsSingle); // x += att Wo^T
                at(xp, at).get(x, at, size);
                rmsNorm(x, normed, ffnNorm, lo, hi);
                at(a, at).put(normed, at, size);
                RowProducts.matT(a, lo, hi, d, w(l + "feed_forward.w1.weight"), gate, 0f, rowsSingle);  // [n, F]
                RowProducts.matT(a, lo, hi, d, w(l + "feed_forward.w3.weight"), up, 0f, rowsSingle);
                at(gate, (long) lo * f).get(g, lo * f, (hi - lo) * f);
                at(up, (long) lo * f).get(u, lo * f, (hi - lo) * f);
                Activations.gated(g, u, lo * f, hi * f);                                           // silu(gate) * up
                at(gate, (long) lo * f).put(g, lo * f, (hi - lo) * f);
                RowProducts.matT(gate, lo, hi, f, w(l + "feed_forward.w2.weight"), xp, 1f, rowsSingle); // x += ... W2^T
                at(xp, at).get(x, at, size);
            });
        }
        int vocab = c.vocab(), rowsSingle = single;
        int[] modality = new int[n];
        for (int i = 0; i < count; i++) {
            System.arraycopy(segments.get(i).step().modality(), 0, modality, from[i], from[i + 1] - from[i]);
        }
        FloatPointer logits = scratch.floats((long) n * vocab);
        List<FloatPointer> eps = new ArrayList<>();
        for (ModalityConfig mod : c.modalities()) {
            eps.add(scratch.floats((long) n * mod.patchDim()));
        }
        float[] finalNorm = values(w("norm.weight"));
        lanes.split(n, pieces, (lo, hi, lane) -> {
            rmsNorm(x, normed, finalNorm, lo, hi);
            at(a, lo * d).put(normed, lo * d, (hi - lo) * d);
            for (int[] run : textRuns(modality, lo, hi)) {                        // [n, V] at text rows only
                RowProducts.matT(a, run[0], run[1], d, w("output.weight"), logits, 0f, rowsSingle);
            }
            for (int kind = 0; kind < c.modalities().size(); kind++) {
                if (has(modality, kind) && unets[kind] == null) {          // a text step decodes no noise
                    String prefix = c.modalities().get(kind).prefix();
                    RowProducts.matT(a, lo, hi, d, w(prefix + "patch_out.weight"), eps.get(kind), 0f, rowsSingle);
                }
            }
        });
        List<float[]> perModality = new ArrayList<>();
        for (int kind = 0; kind < c.modalities().size(); kind++) {
            ModalityConfig mod = c.modalities().get(kind);
            float[] ep = new float[n * mod.patchDim()];
            if (has(modality, kind) && unets[kind] == null) {
                eps.get(kind).get(ep);
                RowProducts.addBias(ep, values(w(mod.prefix() + "patch_out.bias")));                    // [n, P_m]
            }
            perModality.add(ep);
        }
        lanes.split(unetSpans.size(), unetSpans.size(), (from0, to0, lane) -> {   // each U-Net span's decoder
            for (int j = from0; j < to0; j++) {
                EagerUNet.Span span = unetSpans.get(j);
                span.decode(unets[span.modality()], normed, d, perModality.get(span.modality()),
                        c.modalities().get(span.modality()).patchDim());
            }
        });
        java.util.Map<Segment, CachedForward.Result> results = new java.util.IdentityHashMap<>();
        for (int i = 0; i < count; i++) {
            int lo0 = from[i], rows = from[i + 1] - from[i];
            List<float[]> mine = new ArrayList<>();
            for (int kind = 0; kind < perModality.size(); kind++) {
                int pm = c.modalities().get(kind).patchDim();
                mine.add(java.util.Arrays.copyOfRange(perModality.get(kind), lo0 * pm, (lo0 + rows) * pm));
            }
            // [rows, V], 0 at span rows; none for a step without text (a denoising step reads only its noise)
            List<int[]> runs = textRuns(modality, lo0, lo0 + rows);
            float[] own = new float[runs.isEmpty() ? 0 : rows * vocab];
            for (int[] run : runs) {
                at(logits, (long) run[0] * vocab).get(own, (run[0] - lo0) * vocab, (run[1] - run[0]) * vocab);
            }
            results.put(segments.get(i), new CachedForward.Result(own, GraphFeed.mergeEps(c,
                    segments.get(i).step().modality(), mine), caches[i]));
        }
        return given.stream().map(results::get).toList();
    }

    /** One head of one row of one segment: the unit of a pass's attention that a lane takes. */
    private record Attention(int segment, int row, int head) {
    }

    private Attention[] attentionJobs(List<Segment> segments) {
        List<Attention> jobs = new ArrayList<>();
        for (int sgm = 0; sgm < segments.size(); sgm++) {
            for (int r = 0; r < segments.get(sgm).step().batch(); r++) {
                for (int head = 0; head < c.heads(); head++) {
                    jobs.add(new Attention(sgm, r, head));
                }
            }
        }
        return jobs.toArray(Attention[]::new);
    }

    /**
     * Layer {@code layer}'s attention of one head of one row of a segment whose rows start at row
     * {@code first} of the pass: its queries attend over the segment's cache (its new keys and values already
     * written at {@code tp}..) as its {@code allowed} says, into {@code merged}.
     */
    private void attend(PositionRows s, KvCache cache, int layer, int tp, int first, int r, int head,
                        FloatPointer q, FloatPointer merged, FloatPointer scores, float[] row) {
        int len = s.length(), d = c.dim(), h = c.heads(), hd = c.headDim(), t = tp + len;
        long cap = cache.capacity();
        FloatPointer kp = pointer(cache.keyBuffer(layer)), vp = pointer(cache.valueBuffer(layer));  // [B, H, cap, hd]
        float scale = (float) (1.0 / Math.sqrt(hd));
        long rowStart = ((long) r * h + head) * cap * hd;
        long at = ((long) first + (long) r * len) * d + head * hd;
        FloatPointer qh = at(q, at), out = at(merged, at);
        // scores [S, T] = Q K^T / sqrt(hd): Q is rows r*S.. of q, columns head*hd.. (stride D)
        if (len == 1) {
            cblas_sgemv(CblasRowMajor, CblasNoTrans, t, hd, scale, at(kp, rowStart), hd, qh, 1, 0f, scores, 1);
        } else {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, len, t, hd, scale, qh, d,
                    at(kp, rowStart), hd, 0f, scores, t);
        }
        scores.get(row, 0, len * t);
        Activations.softmaxRows(row, s.allowed(), r, len, t);
        scores.put(row, 0, len * t);
        // merged rows r*S.., columns head*hd..: P V
        if (len == 1) {
            cblas_sgemv(CblasRowMajor, CblasTrans, t, hd, 1f, at(vp, rowStart), hd, scores, 1, 0f, out, 1);
        } else {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, len, hd, t, 1f, scores, t,
                    at(vp, rowStart), hd, 0f, out, d);
        }
    }

    /**
     * The runs {from, to} of text rows (modality -1) within rows lo..hi. Only they get logits: no loss and no
     * sampler reads a span position's, and a denoising step, all span rows, then skips the [n, V] product, which
     * at a large vocabulary is most of the step (50,257 x 256 is four times the rest of the bench model). Run by
     * run, a row's numbers are the same as in one product over all rows ({@link RowProducts}).
     */
    static List<int[]> textRuns(int[] modality, int lo, int hi) {
        List<int[]> runs = new ArrayList<>();
        for (int r = lo; r < hi; r++) {
            if (modality[r] < 0) {
                int end = r;
                while (end < hi && modality[end] < 0) {
                    end++;
                }
                runs.add(new int[] {r, end});
                r = end;
            }
        }
        return runs;
    }

    private static boolean has(int[] modality, int k) {
        for (int m : modality) {
            if (m == k) {
                return true;
            }
        }
        return false;
    }

    private static final int TOKEN_ROWS = RowProducts.TOKEN_ROWS;

    /** Rows a lane takes at least: a split's hand-off (5-10 us here) costs about what a few rows' products do. */
    private static final int MIN_LANE_ROWS = 8;

    /**
     * Token rows a lane takes at least: a lane reads every weight for its tokens (~0.1 ms for the demo model),
     * so a few tokens outweigh a pass's dozen hand-offs.
     */
    private static final int MIN_LANE_TOKENS = 4;

    /** Rows lo..hi of x / sqrt(mean(x^2) + eps) * g into out, as float32 like the graph. */
    private void rmsNorm(float[] x, float[] out, float[] g, int lo, int hi) {
        int d = c.dim();
        for (int r = lo; r < hi; r++) {
            float inv = (float) (1.0 / Math.sqrt(Activations.sumOfSquares(x, r * d, d) / d + c.normEps()));
            for (int j = 0; j < d; j++) {
                out[r * d + j] = x[r * d + j] * inv * g[j];
            }
        }
    }

    /**
     * x cos + rotate_half(x) sin in place over x[lo..hi]; per head, rotate_half(x1, x2) = (-x2, x1). The
     * rope's second table holds -sin in each head's first half (see {@link #rope}), so that after the halves are
     * swapped into {@code swapped} one flat loop, which the JIT vectorises, does every head: the same products
     * and sums as x1 cos - x2 sin and x2 cos + x1 sin, so the same bits.
     */
    private void rotate(float[] x, float[][] rope, float[] swapped, int lo, int hi) {
        int hd = c.headDim(), half = hd / 2;
        float[] cos = rope[0], sin = rope[1];
        for (int base = lo; base < hi; base += hd) {
            System.arraycopy(x, base + half, swapped, base, half);
            System.arraycopy(x, base, swapped, base + half, half);
        }
        for (int i = lo; i < hi; i++) {
            x[i] = x[i] * cos[i] + swapped[i] * sin[i];
        }
    }

    /**
     * A segment's new positions, rows {@code first}.. of {@code rows} [n, D], into its cache buffer
     * [B, H, cap, hd] at positions tp.. (in place).
     */
    private void write(FloatPointer buffer, float[] rows, int first, int b, int len, int tp, long cap) {
        int h = c.heads(), hd = c.headDim(), d = c.dim();
        float[] run = new float[len * hd];            // one head's new positions, contiguous in the cache
        for (int r = 0; r < b; r++) {
            for (int head = 0; head < h; head++) {
                for (int i = 0; i < len; i++) {
                    System.arraycopy(rows, (first + r * len + i) * d + head * hd, run, i * hd, hd);
                }
                at(buffer, (((long) r * h + head) * cap + tp) * hd).put(run, 0, len * hd);   // one native copy
            }
        }
    }

    /**
     * Position p's RoPE rows {cos [D], signed sin [D]}, as {@link GraphFeed#ropeTables} makes them but with sin
     * negated in each head's first half ({@link #rotate}), kept: a pass of 16 guided images asked for 16,000 sines
     * and cosines a step, the same ones every step (at most the model's positions x 2D floats are kept).
     */
    private float[][] rope(int position) {
        return ropeRows.computeIfAbsent(position, p -> {
            float[][] t = GraphFeed.ropeTables(c, new int[] {p});
            int hd = c.headDim();
            for (int i = 0; i < t[1].length; i++) {
                t[1][i] = i % hd < hd / 2 ? -t[1][i] : t[1][i];
            }
            return t;
        });
    }

    private INDArray w(String name) {
        return graph.parameter(name);
    }

    private static float[] values(INDArray a) {
        return a.data().asFloat();
    }

    /** Native work buffers of one call, freed at its end. */
    private static final class Scratch implements AutoCloseable {
        private final List<FloatPointer> buffers = new ArrayList<>();

        FloatPointer floats(long size) {
            FloatPointer p = new FloatPointer(Math.max(1, size));
            buffers.add(p);
            return p;
        }

        @Override
        public void close() {
            buffers.forEach(Pointer::close);
        }
    }
}
