package dev.transfusion.core.model;

import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.diffusion.TimestepFeatures;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a {@link PackedBatch} into the graph's placeholders. Work that depends only on the batch (RoPE
 * angles, timestep features, the additive mask, loss weights) is done here in plain Java once per
 * batch, not in the graph on every step.
 */
public final class GraphFeed {
    /** The additive mask value for a forbidden pair; finite so that softmax never sees -inf - -inf. */
    static final float BLOCKED = -1e9f;

    private GraphFeed() {
    }

    /** All placeholders for a training step or a forward pass over {@code b}, its losses averaged over {@code b}. */
    public static Map<String, INDArray> of(TransfusionGraph graph, PackedBatch b) {
        return of(graph, b, LossNorm.of(b));
    }

    /**
     * All placeholders for a training step or a forward pass over {@code b}, with the losses' averages taken
     * over {@code norm}'s counts: a data-parallel replica sees part of a batch but averages over all of it,
     * so that the replicas' losses and gradients add up to the whole batch's.
     */
    public static Map<String, INDArray> of(TransfusionGraph graph, PackedBatch b, LossNorm norm) {
        TransfusionConfig c = graph.config();
        int n = b.positionsCount(), t = b.length(), p = c.patchDim();
        if (b.patchDim() != p) {
            throw new IllegalArgumentException("batch patch size " + b.patchDim() + " != config " + p);
        }
        Map<String, INDArray> ph = new HashMap<>();
        putSequence(c, "", graph.parameter(TransfusionGraph.TOKEN_EMBEDDINGS), b.batch(), t, b.tokens(), b.isImage(),
                b.patches(), b.timesteps(), b.positions(), b.imageId(), ph);
        float[] mask = new float[n * t];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = b.allowed()[i] ? 0f : BLOCKED;
        }
        ph.put(TransfusionGraph.MASK, Nd4j.create(mask, new long[] {b.batch(), 1, t, t}, 'c'));

        int[] targets = targetIds(b.targets(), c.vocab());
        float[] lm = new float[n];   // [BT, 1]
        for (int i = 0; i < n; i++) {
            lm[i] = targets[i] < 0 ? 0f : 1f / norm.targets();
        }
        ph.put(TransfusionGraph.TARGET_ROWS, Nd4j.create(TokenRows.gather(graph.parameter(TransfusionGraph.LM_HEAD),
                targets, "target"), new long[] {n, c.dim()}, 'c'));
        ph.put(TransfusionGraph.LM_WEIGHTS, Nd4j.create(lm, new long[] {n, 1}, 'c'));
        ph.put(TransfusionGraph.NOISE, Nd4j.create(b.noise(), new long[] {n, p}, 'c'));
        ph.put(TransfusionGraph.DDPM_WEIGHTS, Nd4j.create(ddpmWeights(b, p, norm), new long[] {n, 1}, 'c'));
        return ph;
    }

    /** Each position's LM target as a row of the LM head, -1 where there is none. */
    static int[] targetIds(int[] targets, int vocab) {
        int[] ids = new int[targets.length];
        for (int i = 0; i < ids.length; i++) {
            int y = targets[i];
            if (y != PackedBatch.IGNORE && (y < 0 || y >= vocab)) {
                throw new IllegalArgumentException("target " + y + " at position " + i + " outside vocabulary " + vocab);
            }
            ids[i] = y == PackedBatch.IGNORE ? -1 : y;
        }
        return ids;
    }

    /** Each position's token as a row of the embedding table, -1 at image positions. */
    static int[] textIds(int[] tokens, boolean[] isImage, int vocab) {
        int[] ids = new int[tokens.length];
        for (int i = 0; i < ids.length; i++) {
            if (isImage[i]) {
                ids[i] = -1;
            } else if (tokens[i] < 0 || tokens[i] >= vocab) {
                throw new IllegalArgumentException("token " + tokens[i] + " at position " + i + " outside vocabulary " + vocab);
            } else {
                ids[i] = tokens[i];
            }
        }
        return ids;
    }

    /**
     * The inputs every forward pass takes, named {@code prefix + NAME}: rows of {@code length} positions
     * with their tokens (looked up in {@code embeddings}, the {@code [V, D]} table), image patches, diffusion
     * steps, positions and image ids (-1 for text; ids 0..N-1, each id one image).
     */
    public static void putSequence(TransfusionConfig c, String prefix, INDArray embeddings, int batch, int length,
                                   int[] tokens, boolean[] isImage, float[] patches, int[] timesteps, int[] positions,
                                   int[] imageId, Map<String, INDArray> ph) {
        int n = batch * length;
        ph.put(prefix + TransfusionGraph.TOKENS, Nd4j.createFromArray(tokens).reshape(batch, length));
        int images = Math.max(1, java.util.Arrays.stream(imageId).max().orElse(-1) + 1);
        float[] membership = new float[n * images];              // [BT, N]
        int[] imageT = new int[images];
        for (int i = 0; i < n; i++) {
            if (isImage[i]) {
                membership[i * images + imageId[i]] = 1f;
                imageT[imageId[i]] = timesteps[i];
            }
        }
        float[] text = TokenRows.gather(embeddings, textIds(tokens, isImage, c.vocab()), "token"); // [BT, D], zero rows at image positions
        ph.put(prefix + TransfusionGraph.TEXT_ROWS, Nd4j.create(text, new long[] {n, c.dim()}, 'c'));
        ph.put(prefix + TransfusionGraph.IMAGE_MEMBERSHIP, Nd4j.create(membership, new long[] {n, images}, 'c'));
        ph.put(prefix + TransfusionGraph.IMAGE_TIME_FEATURES, Nd4j.create(TimestepFeatures.of(imageT, c.timeFreqDim()),
                new long[] {images, c.timeFreqDim()}, 'c'));
        float[][] rope = ropeTables(c, positions);
        ph.put(prefix + TransfusionGraph.ROPE_COS, Nd4j.create(rope[0], new long[] {n, c.dim()}, 'c'));
        ph.put(prefix + TransfusionGraph.ROPE_SIN, Nd4j.create(rope[1], new long[] {n, c.dim()}, 'c'));
        PatchCoder.of(c, null).feed(prefix, isImage, patches, imageId, ph);
    }

    /** 1 / (images * positions of the image * P) at image positions, 0 elsewhere: the per-image mean. */
    static float[] ddpmWeights(PackedBatch b, int p, LossNorm norm) {
        int[] count = new int[b.imageCount()];
        for (int id : b.imageId()) {
            if (id >= 0) {
                count[id]++;
            }
        }
        int present = norm.images();
        float[] w = new float[b.positionsCount()];
        for (int i = 0; i < w.length; i++) {
            int id = b.imageId()[i];
            if (id >= 0) {
                w[i] = (float) (1.0 / ((double) present * count[id] * p));
            }
        }
        return w;
    }

    /**
     * cos and sin of each position's rotary angles, [n, D]: per head the angles pos * theta^(-2i/hd)
     * for i &lt; hd/2, repeated for the two halves, as the reference computes them in float32.
     */
    public static float[][] ropeTables(TransfusionConfig c, int[] positions) {
        int hd = c.headDim(), half = hd / 2, d = c.dim();
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            inv[i] = (float) Math.pow(c.ropeTheta(), -((float) (2 * i) / (float) hd));
        }
        float[] cos = new float[positions.length * d], sin = new float[positions.length * d];
        for (int n = 0; n < positions.length; n++) {
            for (int i = 0; i < half; i++) {
                float ang = (float) positions[n] * inv[i];
                float cs = (float) Math.cos(ang), sn = (float) Math.sin(ang);
                for (int head = 0; head < c.heads(); head++) {
                    int base = n * d + head * hd;
                    cos[base + i] = cs;
                    cos[base + i + half] = cs;
                    sin[base + i] = sn;
                    sin[base + i + half] = sn;
                }
            }
        }
        return new float[][] {cos, sin};
    }
}
