package dev.transfusion.core.generate;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.diffusion.TimestepFeatures;
import dev.transfusion.core.model.GraphFeed;
import dev.transfusion.core.model.TransfusionGraph;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The cached forward pass in plain Java arrays and direct BLAS calls on the graph's own weights, with no
 * SameDiff session and no ND4J operation in between. Same contract and numbers as the graph's cached forward
 * ({@code KvCacheTest} holds both to the full pass); used for the linear patch coder.
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

    EagerForward(TransfusionGraph graph) {
        this.graph = graph;
        this.c = graph.config();
    }

    /** Whether this runner can replace the graph's cached forward for {@code config}. */
    static boolean supports(TransfusionConfig config) {
        return config.allLinear();
    }

    /** Runs {@code s} after {@code past}; {@code keep}: the result's cache claims the new positions (see {@link KvCache#peek}). */
    CachedForward.Result run(CachedForward.Step s, @Nullable KvCache past, boolean keep) {
        return runAll(List.of(new Segment(s, past, keep))).get(0);
    }

    /**
     * One step of one caller in a batched pass: its new positions, its own cache (of its own length and rows)
     * and whether the result claims the new positions.
     */
    record Segment(CachedForward.Step step, @Nullable KvCache past, boolean keep) {
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
        // Segments of at most GEMV_ROWS rows first: their rows go one matrix-vector product each, as they would
        // alone; the others' rows share one sgemm, whose rows do not depend on how many it has once it is past
        // the small-matrix kernel (SMALL_GEMM), so that every segment gets the numbers it gets alone, bit for bit.
        List<Segment> segments = new ArrayList<>(given);
        segments.sort(java.util.Comparator.comparing(sg -> sg.step().batch() * sg.step().length() > GEMV_ROWS));
        int count = segments.size(), d = c.dim(), h = c.heads(), hd = c.headDim(), f = c.ffnHidden();
        int[] from = new int[count + 1], tp = new int[count];            // segment i's rows are from[i]..from[i+1]
        KvCache[] caches = new KvCache[count];
        int widest = 0;
        for (int i = 0; i < count; i++) {
            CachedForward.Step s = segments.get(i).step();
            KvCache past = segments.get(i).past();
            int len = s.length();
            tp[i] = past == null ? 0 : (int) past.length();
            KvCache start = past != null ? past : KvCache.empty(c.layers(), s.batch(), h, hd, len + Math.max(len, 256));
            caches[i] = segments.get(i).keep() ? start.grow(len) : start.peek(len);   // room for the new positions
            from[i + 1] = from[i] + s.batch() * len;
            widest = Math.max(widest, len * (tp[i] + len));
        }
        int n = from[count], single = 0;   // rows of the small segments, at the front
        for (int i = 0; i < count && from[i + 1] - from[i] <= GEMV_ROWS && (EXACT || count == 1); i++) {
            single = from[i + 1];
        }
        float[] x = new float[n * d];                                                  // [n, D]
        float[] cos = new float[n * d], sin = new float[n * d];
        for (int i = 0; i < count; i++) {
            CachedForward.Step s = segments.get(i).step();
            System.arraycopy(embed(s, scratch), 0, x, from[i] * d, (from[i + 1] - from[i]) * d);
            float[][] rope = GraphFeed.ropeTables(c, s.positions());
            System.arraycopy(rope[0], 0, cos, from[i] * d, rope[0].length);
            System.arraycopy(rope[1], 0, sin, from[i] * d, rope[1].length);
        }
        float[][] rope = {cos, sin};
        FloatPointer a = scratch.floats((long) n * d), q = scratch.floats((long) n * d), k = scratch.floats((long) n * d);
        FloatPointer v = scratch.floats((long) n * d), merged = scratch.floats((long) n * d), xp = scratch.floats((long) n * d);
        FloatPointer gate = scratch.floats((long) n * f), up = scratch.floats((long) n * f);
        FloatPointer scores = scratch.floats(widest);
        float[] qa = new float[n * d], ka = new float[n * d], va = new float[n * d];
        float[] row = new float[widest], g = new float[n * f], u = new float[n * f];
        float scale = (float) (1.0 / Math.sqrt(hd));
        for (int i = 0; i < c.layers(); i++) {
            String l = "layers." + i + ".";
            a.put(rmsNorm(x, l + "attention_norm.weight"));
            matT(a, n, d, l + "attention.wq.weight", q, 0f, single);
            matT(a, n, d, l + "attention.wk.weight", k, 0f, single);
            matT(a, n, d, l + "attention.wv.weight", v, 0f, single);
            q.get(qa);
            k.get(ka);
            rotate(qa, rope);
            rotate(ka, rope);
            q.put(qa);
            v.get(va);
            for (int sgm = 0; sgm < count; sgm++) {
                CachedForward.Step s = segments.get(sgm).step();
                attend(s, caches[sgm], i, tp[sgm], from[sgm], ka, va, q, merged, scores, row, scale);
            }
            xp.put(x);
            matT(merged, n, d, l + "attention.wo.weight", xp, 1f, single);                            // x += att Wo^T
            xp.get(x);
            a.put(rmsNorm(x, l + "ffn_norm.weight"));
            matT(a, n, d, l + "feed_forward.w1.weight", gate, 0f, single);                            // [n, F]
            matT(a, n, d, l + "feed_forward.w3.weight", up, 0f, single);
            gate.get(g);
            up.get(u);
            for (int j = 0; j < g.length; j++) {
                g[j] = g[j] / (1f + exp(-g[j])) * u[j];                                    // silu(gate) * up
            }
            gate.put(g);
            matT(gate, n, f, l + "feed_forward.w2.weight", xp, 1f, single);                           // x += ... W2^T
            xp.get(x);
        }
        a.put(rmsNorm(x, "norm.weight"));
        int vocab = c.vocab();
        FloatPointer logits = scratch.floats((long) n * vocab);
        matT(a, n, d, "output.weight", logits, 0f, single);                                         // [n, V]
        float[] lo = new float[n * vocab];
        logits.get(lo);
        int[] modality = new int[n];
        for (int i = 0; i < count; i++) {
            System.arraycopy(segments.get(i).step().modality(), 0, modality, from[i], from[i + 1] - from[i]);
        }
        List<float[]> perModality = new ArrayList<>();
        for (int kind = 0; kind < c.modalities().size(); kind++) {
            ModalityConfig mod = c.modalities().get(kind);
            int pm = mod.patchDim();
            float[] ep = new float[n * pm];
            if (has(modality, kind)) {          // a text step decodes no noise
                FloatPointer eps = scratch.floats((long) n * pm);
                matT(a, n, d, mod.prefix() + "patch_out.weight", eps, 0f, single);                  // [n, P_m]
                eps.get(ep);
                addRows(ep, values(w(mod.prefix() + "patch_out.bias")));
            }
            perModality.add(ep);
        }
        java.util.Map<Segment, CachedForward.Result> results = new java.util.IdentityHashMap<>();
        for (int i = 0; i < count; i++) {
            int lo0 = from[i], rows = from[i + 1] - from[i];
            List<float[]> mine = new ArrayList<>();
            for (int kind = 0; kind < perModality.size(); kind++) {
                int pm = c.modalities().get(kind).patchDim();
                mine.add(java.util.Arrays.copyOfRange(perModality.get(kind), lo0 * pm, (lo0 + rows) * pm));
            }
            results.put(segments.get(i), new CachedForward.Result(java.util.Arrays.copyOfRange(lo, lo0 * vocab,
                    (lo0 + rows) * vocab), GraphFeed.mergeEps(c, segments.get(i).step().modality(), mine), caches[i]));
        }
        return given.stream().map(results::get).toList();
    }

    /**
     * Layer {@code layer}'s attention of one segment, whose rows start at row {@code first} of the pass: its
     * keys and values go into its cache at {@code tp}.., then each of its rows and heads attends over
     * that cache as its {@code allowed} says, into {@code merged}.
     */
    private void attend(CachedForward.Step s, KvCache cache, int layer, int tp, int first, float[] ka, float[] va,
                        FloatPointer q, FloatPointer merged, FloatPointer scores, float[] row, float scale) {
        int b = s.batch(), len = s.length(), d = c.dim(), h = c.heads(), hd = c.headDim(), t = tp + len;
        long cap = cache.capacity();
        FloatPointer kp = pointer(cache.keyBuffer(layer)), vp = pointer(cache.valueBuffer(layer));  // [B, H, cap, hd]
        write(kp, ka, first, b, len, tp, cap);
        write(vp, va, first, b, len, tp, cap);
        for (int r = 0; r < b; r++) {
            for (int head = 0; head < h; head++) {
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
                softmaxRows(row, s.allowed(), r, len, t);
                scores.put(row, 0, len * t);
                // merged rows r*S.., columns head*hd..: P V
                if (len == 1) {
                    cblas_sgemv(CblasRowMajor, CblasTrans, t, hd, 1f, at(vp, rowStart), hd, scores, 1, 0f, out, 1);
                } else {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, len, hd, t, 1f, scores, t,
                            at(vp, rowStart), hd, 0f, out, d);
                }
            }
        }
    }

    /**
     * Input rows: a token's embedding at text positions; at a continuous modality's positions the patch through
     * that modality's linear encoder plus its span's timestep embedding (each unbroken run of one modality's
     * positions is one span).
     */
    private float[] embed(CachedForward.Step s, Scratch scratch) {
        int n = s.batch() * s.length(), d = c.dim(), p = c.patchDim(), v = c.vocab();
        float[] x = new float[n * d];
        FloatPointer table = pointer(w("tok_embeddings.weight"));                           // [V, D]
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
            float[] encoded = linear(scratch, patches, m, pm, mp + "patch_in");                 // [m, D]
            float[] features = TimestepFeatures.of(java.util.Arrays.copyOf(spanT, spans), c.timeFreqDim());
            float[] hidden = linear(scratch, features, spans, c.timeFreqDim(), mp + "time_embed.0");
            for (int j = 0; j < hidden.length; j++) {
                hidden[j] = hidden[j] / (1f + exp(-hidden[j]));                             // SiLU
            }
            float[] time = linear(scratch, hidden, spans, d, mp + "time_embed.2");           // [spans, D]
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

    private static boolean has(int[] modality, int k) {
        for (int m : modality) {
            if (m == k) {
                return true;
            }
        }
        return false;
    }

    /** in W^T + bias for rows of {@code in} [rows, k]. */
    private float[] linear(Scratch scratch, float[] in, int rows, int k, String module) {
        INDArray weight = w(module + ".weight");
        int out = (int) weight.size(0);
        FloatPointer src = scratch.floats(rows * k), dst = scratch.floats(rows * out);
        src.put(in);
        matT(src, rows, k, module + ".weight", dst, 0f);
        float[] r = new float[rows * out];
        dst.get(r);
        addRows(r, values(w(module + ".bias")));
        return r;
    }

    /**
     * out = x W^T + beta out, for x [n, k] and a torch-layout weight [o, k]. A few rows go one matrix-vector
     * product each: OpenBLAS's sgemm repacks the whole weight on every call, which dominated a decoding step.
     */
    private void matT(FloatPointer x, int n, int k, String weight, FloatPointer out, float beta) {
        matT(x, n, k, weight, out, beta, n <= GEMV_ROWS ? n : 0);
    }

    /** As above, the first {@code single} rows one matrix-vector product each and the rest in one sgemm. */
    private void matT(FloatPointer x, int n, int k, String weight, FloatPointer out, float beta, int single) {
        INDArray wt = w(weight);
        int o = (int) wt.size(0);
        FloatPointer wp = pointer(wt);
        for (int r = 0; r < single; r++) {
            cblas_sgemv(CblasRowMajor, CblasNoTrans, o, k, 1f, wp, k, at(x, (long) r * k), 1, beta,
                    at(out, (long) r * o), 1);
        }
        int m = n - single;
        if (m <= 0) {
            return;
        }
        FloatPointer xs = at(x, (long) single * k), os = at(out, (long) single * o);
        long rows = Math.max(m, (SMALL_GEMM + o - 1) / o);
        if (rows == m) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, o, k, 1f, xs, k, wp, k, beta, os, o);
            return;
        }
        // OpenBLAS runs a product this small through another kernel, whose rows round differently from the
        // usual one: padded to the size where the usual one takes over, a row's numbers are the same whatever
        // other rows share the product (a step alone or in a batched pass)
        float[] xa = new float[m * k], oa = new float[m * o];
        xs.get(xa);
        try (FloatPointer xp = new FloatPointer(rows * k); FloatPointer op = new FloatPointer(rows * o)) {
            xp.put(xa);
            if (beta != 0f) {
                os.get(oa);
                op.put(oa);
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int) rows, o, k, 1f, xp, k, wp, k, beta, op, o);
            op.get(oa);
        }
        os.put(oa);
    }

    /**
     * m * o (rows times outputs) from which OpenBLAS's sgemm gives each row the same bits whatever m is: its
     * small-matrix kernel takes products up to 1024 here (measured for K of 16 to 352), so twice that.
     */
    private static final long SMALL_GEMM = 2048;

    private static final int GEMV_ROWS = 4;

    /** x / sqrt(mean(x^2) + eps) * g per row, as float32 like the graph. */
    private float[] rmsNorm(float[] x, String weight) {
        int d = c.dim();
        float[] g = values(w(weight)), out = new float[x.length];
        for (int r = 0; r < x.length / d; r++) {
            float ms = 0;
            for (int j = 0; j < d; j++) {
                ms += x[r * d + j] * x[r * d + j];
            }
            float inv = (float) (1.0 / Math.sqrt(ms / d + c.normEps()));
            for (int j = 0; j < d; j++) {
                out[r * d + j] = x[r * d + j] * inv * g[j];
            }
        }
        return out;
    }

    /** x cos + rotate_half(x) sin in place; per head, rotate_half(x1, x2) = (-x2, x1). */
    private void rotate(float[] x, float[][] rope) {
        int hd = c.headDim(), half = hd / 2;
        float[] cos = rope[0], sin = rope[1];
        for (int base = 0; base < x.length; base += hd) {
            for (int j = 0; j < half; j++) {
                float x1 = x[base + j], x2 = x[base + j + half];
                x[base + j] = x1 * cos[base + j] - x2 * sin[base + j];
                x[base + j + half] = x2 * cos[base + j + half] + x1 * sin[base + j + half];
            }
        }
    }

    /** Softmax of each score row over the positions row {@code r}'s query may attend to. */
    private static void softmaxRows(float[] scores, boolean[] allowed, int r, int len, int t) {
        for (int i = 0; i < len; i++) {
            int off = i * t, mask = (r * len + i) * t;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < t; j++) {
                if (allowed[mask + j]) {
                    max = Math.max(max, scores[off + j]);
                }
            }
            float sum = 0;
            for (int j = 0; j < t; j++) {
                float e = allowed[mask + j] ? exp(scores[off + j] - max) : 0f;
                scores[off + j] = e;
                sum += e;
            }
            for (int j = 0; j < t; j++) {
                scores[off + j] = sum > 0 ? scores[off + j] / sum : 0f;
            }
        }
    }

    /**
     * e^x in float, within 2 units in the last place: 2^k e^r with |r| &lt;= ln2/2 and a degree-7 Taylor
     * polynomial. The image steps' SiLU and softmax take ~10^7 exponentials an image, and Math.exp (in double)
     * was the largest cost of a denoising step.
     */
    static float exp(float x) {
        if (x < -87.3f) {
            return 0f;
        }
        if (x > 88.7f) {
            return Float.POSITIVE_INFINITY;
        }
        float k = (float) Math.floor(x * 1.44269504f + 0.5f);
        float r = x - k * 0.693145752f - k * 1.42860677e-6f;   // ln 2 split in two for an exact product
        float p = 1f + r * (1f + r * (0.5f + r * (1f / 6 + r * (1f / 24 + r * (1f / 120 + r * (1f / 720 + r * (1f / 5040)))))));
        return p * Float.intBitsToFloat(((int) k + 127) << 23);
    }

    /**
     * A segment's new positions, rows {@code first}.. of {@code rows} [n, D], into its cache buffer
     * [B, H, cap, hd] at positions tp.. (in place).
     */
    private void write(FloatPointer buffer, float[] rows, int first, int b, int len, int tp, long cap) {
        int h = c.heads(), hd = c.headDim(), d = c.dim();
        for (int r = 0; r < b; r++) {
            for (int head = 0; head < h; head++) {
                long base = ((long) r * h + head) * cap * hd;
                for (int i = 0; i < len; i++) {
                    at(buffer, base + (long) (tp + i) * hd).put(rows, (first + r * len + i) * d + head * hd, hd);
                }
            }
        }
    }

    private static void addRows(float[] x, float[] bias) {
        for (int i = 0; i < x.length; i++) {
            x[i] += bias[i % bias.length];
        }
    }

    private INDArray w(String name) {
        return graph.parameter(name);
    }

    private static float[] values(INDArray a) {
        return a.data().asFloat();
    }

    /**
     * The native floats of a dense array, which the caller must keep reachable while it uses them (weights
     * live in the graph; caches in the arrays this class returns).
     */
    private static FloatPointer pointer(INDArray a) {
        if (a.isView() || a.ordering() != 'c') {
            throw new IllegalStateException("expected a dense row-major array, got " + a.shapeInfoToString());
        }
        return new FloatPointer(a.data().addressPointer());
    }

    private static FloatPointer at(FloatPointer p, long offset) {
        return new FloatPointer(p).position(p.position() + offset);
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
