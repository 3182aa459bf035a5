package dev.transfusion.core.model;

import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Every trainable tensor of the model: its reference name and torch-layout shape ({@code nn.Linear}
 * weights are {@code [out, in]}). Keeping the reference's names and layout makes .npy import and export a
 * copy, and a checkpoint readable by PyTorch users.
 */
public final class ParameterLayout {
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final TransfusionConfig config;

    /** The layout of a configuration. */
    public ParameterLayout(TransfusionConfig c) {
        this.config = c;
        long d = c.dim(), v = c.vocab(), f = c.ffnHidden();
        shapes.put("tok_embeddings.weight", new long[] {v, d});
        for (ModalityConfig m : c.modalities()) {     // each modality's way in: its patch encoder, its time MLP
            String mp = m.prefix();
            shapes.putAll(PatchCoder.of(c, m, null).encoderShapes());
            shapes.put(mp + "time_embed.0.weight", new long[] {d, c.timeFreqDim()});
            shapes.put(mp + "time_embed.0.bias", new long[] {d});
            shapes.put(mp + "time_embed.2.weight", new long[] {d, d});
            shapes.put(mp + "time_embed.2.bias", new long[] {d});
        }
        for (int i = 0; i < c.layers(); i++) {
            String l = "layers." + i + ".";
            shapes.put(l + "attention_norm.weight", new long[] {d});
            for (String w : new String[] {"wq", "wk", "wv", "wo"}) {
                shapes.put(l + "attention." + w + ".weight", new long[] {d, d});
            }
            shapes.put(l + "ffn_norm.weight", new long[] {d});
            shapes.put(l + "feed_forward.w1.weight", new long[] {f, d});
            shapes.put(l + "feed_forward.w2.weight", new long[] {d, f});
            shapes.put(l + "feed_forward.w3.weight", new long[] {f, d});
        }
        shapes.put("norm.weight", new long[] {d});
        shapes.put("output.weight", new long[] {v, d});
        for (ModalityConfig m : c.modalities()) {     // and its way out
            shapes.putAll(PatchCoder.of(c, m, null).decoderShapes());
        }
    }

    /** Name to shape, in a fixed order. */
    public Map<String, long[]> shapes() {
        return Collections.unmodifiableMap(shapes);
    }

    /** Total parameter count. */
    public long count() {
        return shapes.values().stream().mapToLong(ParameterLayout::size).sum();
    }

    /** Elements of a shape. */
    public static long size(long[] shape) {
        long k = 1;
        for (long x : shape) {
            k *= x;
        }
        return k;
    }

    /**
     * Initial values: norms 1, biases 0, matrices N(0, 0.02) as in GPT-2 and Llama, with the projections
     * that write into the residual stream (wo, w2) scaled by 1/sqrt(2 layers) so that the stream's
     * variance does not grow with depth.
     */
    public Map<String, float[]> initialValues(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        double residualStd = 0.02 / Math.sqrt(2.0 * config.layers());
        for (var e : shapes.entrySet()) {
            String name = e.getKey();
            int n = Math.toIntExact(size(e.getValue()));
            float[] v = new float[n];
            if (name.endsWith("norm.weight") || name.endsWith(".gamma")) {
                java.util.Arrays.fill(v, 1f);
            } else if (!name.endsWith(".bias") && !name.endsWith(".beta")) {
                double std = name.endsWith("wo.weight") || name.endsWith("w2.weight") ? residualStd : 0.02;
                for (int i = 0; i < n; i++) {
                    v[i] = (float) (gaussian(rng) * std);
                }
            }
            out.put(name, v);
        }
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble(), u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
