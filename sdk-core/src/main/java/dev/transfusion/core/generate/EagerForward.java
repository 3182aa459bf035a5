package dev.transfusion.core.generate;

import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.diffusion.TimestepFeatures;
import dev.transfusion.core.model.GraphFeed;
import dev.transfusion.core.model.TransfusionGraph;
import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The cached forward pass as immediate ND4J operations on the graph's own weights, with no SameDiff session
 * in between. Same contract and numbers as the graph's cached forward ({@code EagerForwardTest} holds them
 * together); used for the linear patch coder, whose every operation is a product or an elementwise step.
 *
 * <p>Why: a decoding step is a few hundred tiny operations, and a SameDiff session spends far longer on
 * each (dependency tracking, shape inference, array bookkeeping) than the operation itself takes: the
 * session made a token cost 25 ms on the bench configuration, where the arithmetic is under a millisecond.
 */
final class EagerForward {
    /**
     * The most positions (rows x length) a step may have to run here. ND4J's immediate elementwise and
     * broadcast operations cost 0.1-0.8 ms each at 128 positions, where the graph fuses its bookkeeping
     * over the whole step: measured on the bench configuration, a 128-position image step was 1.5x slower
     * here, a one-token step 4x faster.
     */
    static final int MAX_POSITIONS = 16;

    private final TransfusionGraph graph;
    private final TransfusionConfig c;
    private final INDArray rotate;   // [D, D]: x R = rotate_half(x) in every head

    EagerForward(TransfusionGraph graph) {
        this.graph = graph;
        this.c = graph.config();
        this.rotate = graph.sameDiff().getVariable("rotate_half").getArr();
    }

    /** Whether this runner can replace the graph's cached forward for {@code config}. */
    static boolean supports(TransfusionConfig config) {
        return config.patchCoder().equals("linear");
    }

    CachedForward.Result run(CachedForward.Step s, @Nullable KvCache past) {
        int b = s.batch(), len = s.length(), n = b * len, d = c.dim(), h = c.heads(), hd = c.headDim();
        long tp = past == null ? 0 : past.length();
        long t = tp + len;
        INDArray x = embed(s);                                                        // [n, D]
        float[][] rope = GraphFeed.ropeTables(c, s.positions());
        INDArray cos = Nd4j.create(rope[0], new long[] {n, d}, 'c');
        INDArray sin = Nd4j.create(rope[1], new long[] {n, d}, 'c');
        float[] maskValues = new float[s.allowed().length];
        for (int i = 0; i < maskValues.length; i++) {
            maskValues[i] = s.allowed()[i] ? 0f : -1e9f;
        }
        // [B, 1, S, T] repeated over heads: [B, H, S, T]
        INDArray mask = Nd4j.create(maskValues, new long[] {b, 1, len, t}, 'c').repeat(1, h);
        INDArray[] keys = new INDArray[c.layers()], values = new INDArray[c.layers()];
        double scale = 1.0 / Math.sqrt(hd);
        for (int i = 0; i < c.layers(); i++) {
            String l = "layers." + i + ".";
            INDArray a = rmsNorm(x, l + "attention_norm.weight");
            INDArray q = heads(rope(matT(a, l + "attention.wq.weight"), cos, sin), b, len);   // [B, H, S, hd]
            INDArray k = heads(rope(matT(a, l + "attention.wk.weight"), cos, sin), b, len);
            INDArray v = heads(matT(a, l + "attention.wv.weight"), b, len);
            keys[i] = past == null ? k : Nd4j.concat(2, past.keys()[i], k);                 // [B, H, T, hd]
            values[i] = past == null ? v : Nd4j.concat(2, past.values()[i], v);
            INDArray scores = Nd4j.matmul(q, keys[i], false, true, false).muli(scale).addi(mask); // [B, H, S, T]
            INDArray probs = Transforms.softmax(scores.reshape(-1, t), false).reshape(b, h, len, t);
            INDArray att = Nd4j.matmul(probs, values[i]);                                   // [B, H, S, hd]
            INDArray merged = att.permute(0, 2, 1, 3).dup('c').reshape(n, d);               // [n, D]
            x.addi(matT(merged, l + "attention.wo.weight"));
            INDArray f = rmsNorm(x, l + "ffn_norm.weight");
            INDArray gate = matT(f, l + "feed_forward.w1.weight");                          // [n, F]
            INDArray up = matT(f, l + "feed_forward.w3.weight");
            INDArray swiglu = Transforms.sigmoid(gate, true).muli(gate).muli(up);           // silu(gate) * up
            x.addi(matT(swiglu, l + "feed_forward.w2.weight"));
        }
        INDArray out = rmsNorm(x, "norm.weight");
        INDArray logits = matT(out, "output.weight");                                      // [n, V]
        INDArray epsHat = matT(out, "patch_out.weight").addiRowVector(w("patch_out.bias"));  // [n, P]
        return new CachedForward.Result(logits.data().asFloat(), epsHat.data().asFloat(), new KvCache(keys, values));
    }

    /**
     * Input rows: a token's embedding at text positions; at image positions the patch through the linear
     * encoder plus its image's timestep embedding.
     */
    private INDArray embed(CachedForward.Step s) {
        int n = s.batch() * s.length(), d = c.dim(), p = c.patchDim(), v = c.vocab();
        float[] x = new float[n * d];
        INDArray table = w("tok_embeddings.weight");                                       // [V, D]
        int images = 0;
        int[] imageOf = new int[n];
        int[] imageT = new int[n];
        for (int i = 0; i < n; i++) {
            if (s.isImage()[i]) {
                boolean starts = i % s.length() == 0 || !s.isImage()[i - 1];   // an unbroken run is one image
                if (starts) {
                    imageT[images++] = s.timesteps()[i];
                }
                imageOf[i] = images - 1;
            } else {
                int tok = s.tokens()[i];
                if (tok < 0 || tok >= v) {
                    throw new IllegalArgumentException("token " + tok + " at position " + i + " outside vocabulary " + v);
                }
                System.arraycopy(table.getRow(tok).toFloatVector(), 0, x, i * d, d);
            }
        }
        if (images > 0) {
            int m = 0;
            for (boolean img : s.isImage()) {
                m += img ? 1 : 0;
            }
            float[] patches = new float[m * p];
            for (int i = 0, j = 0; i < n; i++) {
                if (s.isImage()[i]) {
                    System.arraycopy(s.patches(), i * p, patches, j++ * p, p);
                }
            }
            float[] encoded = matT(Nd4j.create(patches, new long[] {m, p}, 'c'), "patch_in.weight")
                    .addiRowVector(w("patch_in.bias")).data().asFloat();                 // [m, D]
            int[] ts = java.util.Arrays.copyOf(imageT, images);
            INDArray features = Nd4j.create(TimestepFeatures.of(ts, c.timeFreqDim()), new long[] {images, c.timeFreqDim()}, 'c');
            INDArray hidden = matT(features, "time_embed.0.weight").addiRowVector(w("time_embed.0.bias"));
            hidden = Transforms.sigmoid(hidden, true).muli(hidden);                         // SiLU
            float[] time = matT(hidden, "time_embed.2.weight").addiRowVector(w("time_embed.2.bias")).data().asFloat();
            for (int i = 0, j = 0; i < n; i++) {
                if (s.isImage()[i]) {
                    int row = j++, img = imageOf[i];
                    for (int k = 0; k < d; k++) {
                        x[i * d + k] = encoded[row * d + k] + time[img * d + k];
                    }
                }
            }
        }
        return Nd4j.create(x, new long[] {n, d}, 'c');
    }

    /** x / sqrt(mean(x^2) + eps) * g over the last axis. */
    private INDArray rmsNorm(INDArray x, String weight) {
        INDArray ms = x.mul(x).mean(true, 1);                                              // [n, 1]
        INDArray inv = Transforms.pow(ms.addi(c.normEps()), -0.5, false);
        return x.mulColumnVector(inv).muliRowVector(w(weight));
    }

    /** x cos + rotate_half(x) sin. */
    private INDArray rope(INDArray x, INDArray cos, INDArray sin) {
        return Nd4j.gemm(x, rotate, false, false).muli(sin).addi(x.mul(cos));
    }

    /** [n, D] to [B, H, S, hd]. */
    private INDArray heads(INDArray x, int b, int len) {
        return x.reshape(b, len, c.heads(), c.headDim()).permute(0, 2, 1, 3).dup('c');
    }

    /** x W^T for a torch-layout weight [out, in]. */
    private INDArray matT(INDArray x, String weight) {
        return Nd4j.gemm(x, w(weight), false, true);
    }

    private INDArray w(String name) {
        return graph.parameter(name);
    }
}
