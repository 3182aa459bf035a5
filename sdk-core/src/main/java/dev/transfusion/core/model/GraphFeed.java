package dev.transfusion.core.model;

import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.data.PositionRows;
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
        int n = b.positionsCount(), p = c.patchDim();
        Map<String, INDArray> ph = new HashMap<>();
        putSequence(c, "", graph.parameter(TransfusionGraph.TOKEN_EMBEDDINGS), b.rows(), b.imageId(), ph);

        int[] targets = targetIds(b.targets(), c.vocab());
        float[] lm = new float[n];   // [BT, 1]
        for (int i = 0; i < n; i++) {
            lm[i] = targets[i] < 0 ? 0f : 1f / norm.targets();
        }
        ph.put(TransfusionGraph.TARGET_ROWS, Nd4j.create(TokenRows.gather(graph.parameter(TransfusionGraph.LM_HEAD),
                targets, "target"), new long[] {n, c.dim()}, 'c'));
        ph.put(TransfusionGraph.LM_WEIGHTS, Nd4j.create(lm, new long[] {n, 1}, 'c'));
        for (int k = 0; k < c.modalities().size(); k++) {
            ModalityConfig m = c.modalities().get(k);
            ph.put(m.prefix() + TransfusionGraph.NOISE, Nd4j.create(columns(b.noise(), b.rows().modality(), k, p, m.patchDim()),
                    new long[] {n, m.patchDim()}, 'c'));
            ph.put(m.prefix() + TransfusionGraph.DDPM_WEIGHTS, Nd4j.create(ddpmWeights(b, k, m.patchDim(), norm),
                    new long[] {n, 1}, 'c'));
        }
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
     * The inputs every forward pass takes, named {@code prefix + NAME}, from {@code rows}: its tokens (looked up
     * in {@code embeddings}, the {@code [V, D]} table), for each modality its patches, its spans' diffusion steps
     * and which positions belong to which span; positions (RoPE); the additive attention mask
     * [B, 1, S, past + S].
     *
     * @param spanId [n] a span id per continuous position (-1 at text), each id one span of one modality
     */
    public static void putSequence(TransfusionConfig c, String prefix, INDArray embeddings, PositionRows rows,
                                   int[] spanId, Map<String, INDArray> ph) {
        if (rows.patchDim() != c.patchDim()) {
            throw new IllegalArgumentException("rows of " + rows.patchDim() + " patch values, the config's patch has "
                    + c.patchDim());
        }
        int batch = rows.batch(), length = rows.length(), n = rows.count();
        int[] tokens = rows.tokens(), modality = rows.modality(), timesteps = rows.timesteps();
        float[] patches = rows.patches();
        ph.put(prefix + TransfusionGraph.TOKENS, Nd4j.createFromArray(tokens).reshape(batch, length));
        boolean[] continuous = new boolean[n];
        for (int i = 0; i < n; i++) {
            continuous[i] = modality[i] >= 0;
        }
        float[] text = TokenRows.gather(embeddings, textIds(tokens, continuous, c.vocab()), "token"); // [BT, D], zero rows at span positions
        ph.put(prefix + TransfusionGraph.TEXT_ROWS, Nd4j.create(text, new long[] {n, c.dim()}, 'c'));
        float[][] rope = ropeTables(c, rows.positions());
        ph.put(prefix + TransfusionGraph.ROPE_COS, Nd4j.create(rope[0], new long[] {n, c.dim()}, 'c'));
        ph.put(prefix + TransfusionGraph.ROPE_SIN, Nd4j.create(rope[1], new long[] {n, c.dim()}, 'c'));
        for (int k = 0; k < c.modalities().size(); k++) {
            ModalityConfig m = c.modalities().get(k);
            String mp = prefix + m.prefix();
            boolean[] mine = new boolean[n];
            int[] local = new int[n];                                   // span ids renumbered 0..N_m-1 for this modality
            Map<Integer, Integer> renumbered = new HashMap<>();
            for (int i = 0; i < n; i++) {
                mine[i] = modality[i] == k;
                local[i] = mine[i] ? renumbered.computeIfAbsent(spanId[i], id -> renumbered.size()) : -1;
            }
            int spans = Math.max(1, renumbered.size());
            float[] membership = new float[n * spans];                  // [BT, N_m]
            int[] spanT = new int[spans];
            for (int i = 0; i < n; i++) {
                if (mine[i]) {
                    membership[i * spans + local[i]] = 1f;
                    spanT[local[i]] = timesteps[i];
                }
            }
            ph.put(mp + TransfusionGraph.IMAGE_MEMBERSHIP, Nd4j.create(membership, new long[] {n, spans}, 'c'));
            ph.put(mp + TransfusionGraph.IMAGE_TIME_FEATURES, Nd4j.create(TimestepFeatures.of(spanT, c.timeFreqDim()),
                    new long[] {spans, c.timeFreqDim()}, 'c'));
            PatchCoder.of(c, m, null).feed(prefix, mine, columns(patches, modality, k, c.patchDim(), m.patchDim()), local, ph);
        }
        boolean[] allowed = rows.allowed();
        float[] mask = new float[allowed.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = allowed[i] ? 0f : BLOCKED;
        }
        ph.put(prefix + TransfusionGraph.MASK, Nd4j.create(mask, new long[] {batch, 1, length, rows.past() + length}, 'c'));
    }

    /** The first {@code pm} of each position's {@code p} values where it is modality {@code k}'s, else 0: [n, pm]. */
    static float[] columns(float[] values, int[] modality, int k, int p, int pm) {
        int n = modality.length;
        float[] out = new float[n * pm];
        for (int i = 0; i < n; i++) {
            if (modality[i] == k) {
                System.arraycopy(values, i * p, out, i * pm, pm);
            }
        }
        return out;
    }

    /** Each modality's predicted noise [n, P_m] merged into [n, P], each position's from its own modality. */
    public static float[] mergeEps(TransfusionConfig c, int[] modality, java.util.List<float[]> perModality) {
        int n = modality.length, p = c.patchDim();
        float[] out = new float[n * p];
        for (int i = 0; i < n; i++) {
            int k = modality[i];
            if (k >= 0) {
                int pm = c.modalities().get(k).patchDim();
                System.arraycopy(perModality.get(k), i * pm, out, i * p, pm);
            }
        }
        return out;
    }

    /**
     * 1 / (spans * positions of the span * P_m) at modality {@code k}'s positions, 0 elsewhere: the per-span
     * mean, then the mean over the modality's spans.
     */
    static float[] ddpmWeights(PackedBatch b, int k, int pm, LossNorm norm) {
        int[] count = new int[Math.max(0, b.imageCount())];
        for (int i = 0; i < b.imageId().length; i++) {
            if (b.imageId()[i] >= 0 && b.rows().modality()[i] == k) {
                count[b.imageId()[i]]++;
            }
        }
        int present = norm.spans(k);
        float[] w = new float[b.positionsCount()];
        for (int i = 0; i < w.length; i++) {
            int id = b.imageId()[i];
            if (id >= 0 && b.rows().modality()[i] == k) {
                w[i] = (float) (1.0 / ((double) present * count[id] * pm));
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
