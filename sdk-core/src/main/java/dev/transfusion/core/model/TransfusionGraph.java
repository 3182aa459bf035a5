package dev.transfusion.core.model;

import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Transfusion transformer as one SameDiff graph: text embeddings, and for each continuous modality its
 * patch encoder with its timestep MLP, in; Llama blocks (RMSNorm, RoPE "rotate half", SwiGLU) under an
 * additive attention mask; then the LM head and each modality's patch decoder, and the loss
 * LM + sum_m lambda_m * DDPM_m. A modality's parameters and placeholders carry its prefix
 * ({@link ModalityConfig#prefix()}: none for images, whose names are the reference's).
 *
 * <p>Activations stay 2-D {@code [B*T, D]} wherever the operation allows it: fewer, larger matrix
 * products are what SameDiff runs fastest. Variables carry the reference's names and torch layouts.
 * Placeholders are filled by {@link GraphFeed}.
 */
public final class TransfusionGraph {
    // Placeholders (see GraphFeed for how each is made).
    public static final String TOKENS = "tokens";               // [B, T] int
    public static final String TEXT_ROWS = "text_rows";         // [B*T, D] each token's embedding row, zero at image positions
    public static final String PATCHES = "patches";             // [B*T, P + 1] x_t and a 1, all zero at text positions
    public static final String IMAGE_MEMBERSHIP = "image_membership"; // [B*T, N] 1 where a position belongs to image n
    public static final String IMAGE_TIME_FEATURES = "image_time_features"; // [N, F] sinusoidal features of each image's t
    public static final String ROPE_COS = "rope_cos";           // [B*T, D] cos of each position's angles, tiled per head
    public static final String ROPE_SIN = "rope_sin";           // [B*T, D]
    public static final String MASK = "mask";                   // [B, 1, T, T] 0 allowed, -1e9 not
    public static final String TARGET_ROWS = "target_rows";     // [B*T, D] the LM head's row of each target, zero where none
    public static final String LM_WEIGHTS = "lm_weights";       // [B*T, 1] 1 / number of targets where a target, else 0
    public static final String NOISE = "noise";                 // [B*T, P] true epsilon
    public static final String DDPM_WEIGHTS = "ddpm_weights";   // [B*T, 1] 1 / (images * positions of its image * P)
    // U-Net patch coder only.
    public static final String IMAGE_LATENTS = "image_latents"; // [N, C, H, W] x_t of each image
    public static final String IMAGE_SELECT = "image_select";   // [N*h*w, B*T] one-hot: patch k of image i -> its position
    public static final String IMAGE_GRID = "image_grid";       // [4] = N, h, w, D
    // The cached forward used by generation: the same names behind this prefix, plus per-layer K/V.
    public static final String CACHED = "dec_";
    public static final String PAST_K = "past_k_";               // [B, H, Tp, hd]
    public static final String PAST_V = "past_v_";
    public static final String NEW_K = "new_k_";                 // [B, H, Tp + S, hd]
    public static final String NEW_V = "new_v_";
    // Outputs.
    public static final String LOGITS = "logits";               // [B*T, V]
    public static final String EPS_HAT = "eps_hat";             // [B*T, P]
    public static final String LM_LOSS = "lm_loss";
    public static final String DDPM_LOSS = "ddpm_loss";
    public static final String TOTAL_LOSS = "total_loss";
    // The two [V, D] tables that are looked up outside the graph (TokenRows).
    public static final String TOKEN_EMBEDDINGS = "tok_embeddings.weight";
    public static final String LM_HEAD = "output.weight";
    /** The placeholders whose gradients a training step needs: they are scattered back into the two tables. */
    public static final java.util.List<String> ROW_INPUTS = java.util.List.of(TEXT_ROWS, TARGET_ROWS);

    private final TransfusionConfig config;
    private final SameDiff sd;
    private final List<String> parameterNames;
    private final boolean training;
    // name -> the variable's array: SameDiff's lookup walks a Patricia trie twice a call, and the eager forward asks
    // for every weight on every pass (3% of a batched decoding pass). The arrays are updated in place (AdamW, EMA),
    // never replaced, so the array a name maps to stays the variable's
    private final Map<String, INDArray> parameterArrays = new java.util.concurrent.ConcurrentHashMap<>();
    private SDVariable rotate;
    private INDArray embeddingGradient;

    /** Builds the graph with the given parameter values (reference names, torch layouts). */
    public TransfusionGraph(TransfusionConfig config, Map<String, float[]> weights) {
        this(config, arrays(config, weights), true);
    }

    /**
     * A graph for generation and scoring only: the cached forward, without the training forward and its
     * loss, which a loaded model never runs (less to build at start-up, less memory). It cannot train.
     */
    public static TransfusionGraph forInference(TransfusionConfig config, Map<String, float[]> weights) {
        return new TransfusionGraph(config, arrays(config, weights), false);
    }

    private TransfusionGraph(TransfusionConfig config, LinkedHashMap<String, INDArray> parameters, boolean training) {
        this.config = config;
        this.sd = SameDiff.create();
        this.parameterNames = new ArrayList<>(parameters.keySet());
        this.training = training;
        parameters.forEach(sd::var);
        if (training) {
            buildTraining();
        }
        // The cached forward for generation shares every variable; it is never differentiated.
        forward(CACHED, true);
    }

    private static LinkedHashMap<String, INDArray> arrays(TransfusionConfig config, Map<String, float[]> weights) {
        LinkedHashMap<String, INDArray> arrays = new LinkedHashMap<>();
        for (var e : new ParameterLayout(config).shapes().entrySet()) {
            float[] v = weights.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("missing parameter " + e.getKey());
            }
            arrays.put(e.getKey(), Nd4j.create(v, e.getValue(), 'c'));
        }
        return arrays;
    }

    /**
     * A second graph over this one's parameter arrays (the same memory, not a copy): an optimizer step on
     * either updates both. Each has its own intermediate and gradient memory, so that data-parallel replicas
     * can run at the same time on different threads.
     */
    public TransfusionGraph replica() {
        LinkedHashMap<String, INDArray> shared = new LinkedHashMap<>();
        parameterNames.forEach(name -> shared.put(name, parameter(name)));
        return new TransfusionGraph(config, shared, training);
    }

    private SDVariable w(String name) {
        return sd.getVariable(name);
    }

    private void buildTraining() {
        TransfusionConfig c = config;
        Forward out = forward("", false);
        SDVariable logits = out.logits(), hOut = out.hidden();
        SDVariable targetRows = sd.placeHolder(TARGET_ROWS, DataType.FLOAT, -1, c.dim());
        SDVariable lmWeights = sd.placeHolder(LM_WEIGHTS, DataType.FLOAT, -1, 1);
        // LM: cross-entropy from target indices, logsumexp(logits) - the target's logit, weighted by 1/count.
        // The log-sum-exp as row means of logits and of logSoftmax(logits) (their difference is it in every
        // column): the gradients of sd.math.logSumExp and of logSoftmax's dimension form fail in this version.
        SDVariable meanV = constant("mean_column_" + c.vocab(), Nd4j.valueArrayOf(new long[] {c.vocab(), 1}, 1f / c.vocab()));
        SDVariable lse = sd.mmul(logits, meanV).sub(sd.mmul(sd.nn.logSoftmax(logits), meanV));  // [BT, 1]
        SDVariable targetLogit = sd.mmul(hOut.mul(targetRows), constant("ones_column_" + c.dim(),
                Nd4j.ones(DataType.FLOAT, c.dim(), 1)));                                          // [BT, 1]
        SDVariable total = sd.sum(lse.sub(targetLogit).mul(lmWeights)).rename(LM_LOSS);
        // DDPM, per modality: squared error, mean per span, then over the modality's spans (the weights hold
        // both means). Row sums as a product with a ones column keep the weights' multiply free of broadcasting.
        List<ModalityConfig> ms = c.modalities();
        for (int k = 0; k < ms.size(); k++) {
            ModalityConfig m = ms.get(k);
            SDVariable noise = sd.placeHolder(m.prefix() + NOISE, DataType.FLOAT, -1, m.patchDim());
            SDVariable ddpmWeights = sd.placeHolder(m.prefix() + DDPM_WEIGHTS, DataType.FLOAT, -1, 1);
            SDVariable err = out.epsHat().get(k).sub(noise);                                      // [BT, P_m]
            SDVariable rowSums = sd.mmul(err.mul(err), constant("ones_column_" + m.patchDim(),
                    Nd4j.ones(DataType.FLOAT, m.patchDim(), 1)));                                 // [BT, 1]
            SDVariable ddpm = sd.sum(rowSums.mul(ddpmWeights)).rename(m.prefix() + DDPM_LOSS);
            total = k == ms.size() - 1 ? total.add(TOTAL_LOSS, ddpm.mul(m.lossWeight())) : total.add(ddpm.mul(m.lossWeight()));
        }
        if (ms.isEmpty()) {
            sd.identity(TOTAL_LOSS, total);
        }
        sd.setLossVariables(TOTAL_LOSS);
    }

    /** The name of modality {@code m}'s DDPM loss output. */
    public static String ddpmLoss(ModalityConfig m) {
        return m.prefix() + DDPM_LOSS;
    }

    /** The name of modality {@code m}'s predicted-noise output [B*T, P_m] (behind {@code prefix}: the cached forward's). */
    public static String epsHat(String prefix, ModalityConfig m) {
        return prefix + m.prefix() + EPS_HAT;
    }

    /** A forward pass's outputs: logits [B*T, V], each modality's predicted noise [B*T, P_m], the final hidden state. */
    private record Forward(SDVariable logits, List<SDVariable> epsHat, SDVariable hidden) {
    }

    /** Whether this graph has the training forward and loss ({@link #forInference} has not). */
    public boolean trainable() {
        return training;
    }

    /**
     * The forward pass with placeholders and outputs named {@code prefix + NAME}. With {@code cached},
     * each layer also takes past keys and values {@code [B, H, Tp, hd]} ({@code past_k_i}, {@code past_v_i}),
     * the mask is {@code [B, 1, S, Tp + S]}, and the full keys and values come out as {@code new_k_i},
     * {@code new_v_i}. Returns logits [B*S, V], predicted noise [B*S, P] and the final hidden state [B*S, D].
     */
    private Forward forward(String prefix, boolean cached) {
        TransfusionConfig c = config;
        int d = c.dim(), h = c.heads(), hd = c.headDim();
        SDVariable tokens = sd.placeHolder(prefix + TOKENS, DataType.INT32, -1, -1);            // [B, T] (its shape)
        SDVariable text = sd.placeHolder(prefix + TEXT_ROWS, DataType.FLOAT, -1, d);               // [BT, D]
        SDVariable cos = sd.placeHolder(prefix + ROPE_COS, DataType.FLOAT, -1, d);
        SDVariable sin = sd.placeHolder(prefix + ROPE_SIN, DataType.FLOAT, -1, d);
        SDVariable mask = sd.placeHolder(prefix + MASK, DataType.FLOAT, -1, 1, -1, -1);

        // Text and each modality's inputs are built so that each is exactly zero at the others' positions: no
        // mask multiply (a broadcast multiply and its backward cost more than these products).
        // The embedding rows are looked up outside the graph (TokenRows: sd.gather's gradient fails here).
        SDVariable x = text;                                                                       // [BT, D]
        List<PatchCoder> coders = new ArrayList<>();
        List<SDVariable> times = new ArrayList<>();
        for (ModalityConfig m : c.modalities()) {
            String mp = prefix + m.prefix();
            SDVariable membership = sd.placeHolder(mp + IMAGE_MEMBERSHIP, DataType.FLOAT, -1, -1);
            SDVariable spanTime = timeEmbedding(m, sd.placeHolder(mp + IMAGE_TIME_FEATURES, DataType.FLOAT, -1,
                    c.timeFreqDim()));                                                             // [N_m, D]
            PatchCoder coder = PatchCoder.of(c, m, sd);
            // each span's timestep embedding, computed once per span and spread over its positions
            x = x.add(coder.encode(prefix, spanTime)).add(sd.mmul(membership, spanTime));          // [BT, D]
            coders.add(coder);
            times.add(spanTime);
        }

        // [B, T, H, hd] for attention: B and T are only known at run time
        SDVariable headShape = sd.concat(0, sd.shape(tokens).castTo(DataType.LONG),
                sd.constant(Nd4j.createFromArray((long) h, (long) hd)));
        for (int i = 0; i < c.layers(); i++) {
            String l = "layers." + i + ".";
            SDVariable a = rmsNorm(x, l + "attention_norm.weight");
            SDVariable q = rope(matT(a, l + "attention.wq.weight"), cos, sin);
            SDVariable k = rope(matT(a, l + "attention.wk.weight"), cos, sin);
            SDVariable val = matT(a, l + "attention.wv.weight");
            SDVariable q4 = sd.permute(sd.reshape(q, headShape), 0, 2, 1, 3);                     // [B, H, T, hd]
            SDVariable k4 = sd.permute(sd.reshape(k, headShape), 0, 2, 1, 3);
            SDVariable v4 = sd.permute(sd.reshape(val, headShape), 0, 2, 1, 3);
            if (cached) {
                k4 = sd.concat(2, sd.placeHolder(prefix + PAST_K + i, DataType.FLOAT, -1, h, -1, hd), k4);
                v4 = sd.concat(2, sd.placeHolder(prefix + PAST_V + i, DataType.FLOAT, -1, h, -1, hd), v4);
                sd.identity(prefix + NEW_K + i, k4);                                              // [B, H, Tp+S, hd]
                sd.identity(prefix + NEW_V + i, v4);
            }
            SDVariable scores = sd.mmul(q4, k4, false, true, false).mul(1.0 / Math.sqrt(hd)).add(mask); // [B, H, T, T]
            SDVariable att = sd.mmul(sd.nn.softmax(scores, 3), v4);                              // [B, H, T, hd]
            SDVariable merged = sd.reshape(sd.permute(att, 0, 2, 1, 3), -1, d);                   // [BT, D]
            x = x.add(matT(merged, l + "attention.wo.weight"));
            SDVariable f = rmsNorm(x, l + "ffn_norm.weight");
            SDVariable gate = matT(f, l + "feed_forward.w1.weight");                              // [BT, F]
            SDVariable up = matT(f, l + "feed_forward.w3.weight");
            x = x.add(matT(sd.nn.swish(gate).mul(up), l + "feed_forward.w2.weight"));           // SwiGLU
        }
        SDVariable hOut = rmsNorm(x, "norm.weight");
        SDVariable logits = sd.identity(prefix + LOGITS, matT(hOut, LM_HEAD));            // [BT, V]
        List<SDVariable> eps = new ArrayList<>();
        for (int k = 0; k < coders.size(); k++) {
            ModalityConfig m = c.modalities().get(k);
            eps.add(sd.identity(epsHat(prefix, m), coders.get(k).decode(hOut, times.get(k))));    // [BT, P_m]
        }
        return new Forward(logits, eps, hOut);
    }

    /** x W^T for a torch-layout weight [out, in]. */
    private SDVariable matT(SDVariable x, String weight) {
        return sd.mmul(x, w(weight), false, true, false);
    }

    private SDVariable linear(SDVariable x, String module) {
        return matT(x, module + ".weight").add(w(module + ".bias"));
    }

    private SDVariable timeEmbedding(ModalityConfig m, SDVariable features) {
        SDVariable hidden = linear(features, m.prefix() + "time_embed.0");
        return linear(sd.nn.swish(hidden), m.prefix() + "time_embed.2");                         // SiLU between
    }

    /**
     * x / sqrt(mean(x^2) + eps) * g, over the last axis. Written without broadcasting: the mean is a product
     * with a 1/D column and the per-row scale times the gain is one outer product, so that every multiply
     * meets two arrays of one shape. nd4j's backward of a broadcast multiply tiles its operands and was 10x
     * slower than these products ({@code docs/performance.md}).
     */
    private SDVariable rmsNorm(SDVariable x, String weight) {
        int d = config.dim();
        SDVariable ms = sd.mmul(x.mul(x), constant("mean_column_" + d, Nd4j.valueArrayOf(new long[] {d, 1}, 1f / d))); // [BT, 1]
        SDVariable scale = sd.mmul(sd.math.rsqrt(ms.add(config.normEps())), sd.reshape(w(weight), 1, d));   // [BT, D]
        return x.mul(scale);
    }

    private SDVariable constant(String name, INDArray value) {
        return sd.hasVariable(name) ? sd.getVariable(name) : sd.constant(name, value);
    }

    /** x cos + rotate_half(x) sin, per head, in the [BT, D] layout; rotate_half is a fixed matrix. */
    private SDVariable rope(SDVariable x, SDVariable cos, SDVariable sin) {
        if (rotate == null) {
            rotate = sd.constant("rotate_half", rotateHalf(config.dim(), config.headDim()));          // [D, D]
        }
        return x.mul(cos).add(sd.mmul(x, rotate).mul(sin));
    }

    /**
     * The matrix R with x R = rotate_half(x) in every head: for a head's halves (x1, x2), (-x2, x1).
     */
    static INDArray rotateHalf(int d, int hd) {
        float[][] r = new float[d][d];
        int half = hd / 2;
        for (int base = 0; base < d; base += hd) {
            for (int j = 0; j < half; j++) {
                r[base + j + half][base + j] = -1f;   // out_j = -x_{j+half}
                r[base + j][base + j + half] = 1f;    // out_{j+half} = x_j
            }
        }
        return Nd4j.createFromArray(r);
    }

    /** The SameDiff instance (for training and checkpointing). */
    public SameDiff sameDiff() {
        return sd;
    }

    /** Parameter names in layout order. */
    public List<String> parameterNames() {
        return parameterNames;
    }

    /** The configuration. */
    public TransfusionConfig config() {
        return config;
    }

    /**
     * The token embedding's gradient buffer, zeroed: the graph does not use the table itself (its rows come
     * in as {@link #TEXT_ROWS}), so a step adds the rows' gradients here. Reused from step to step, like the
     * graph's other gradients; a graph runs one step at a time.
     */
    INDArray embeddingGradient() {
        if (embeddingGradient == null) {
            embeddingGradient = TokenRows.zeros(parameter(TOKEN_EMBEDDINGS));
        } else {
            embeddingGradient.assign(0);
        }
        return embeddingGradient;
    }

    /** Current value of a parameter. */
    public INDArray parameter(String name) {
        INDArray a = parameterArrays.get(name);
        if (a == null) {
            SDVariable v = sd.getVariable(name);
            a = v.getArr();
            if (a != null && v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                parameterArrays.put(name, a);
            }
        }
        return a;
    }
}
