package dev.transfusion.plugins.image;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The VAE's layers as SameDiff ops: the parameter list with shapes, seeded initialisation, and the encoder
 * and decoder functions. Training and inference graphs are both built from here, so they cannot drift.
 * Every conv is 3x3 with padding 1; kernels are {@code [kH, kW, inC, outC]}, activations NCHW.
 */
final class VaeNetwork {
    /** Names of the decoder's parameters start with this; the decoder fine-tune updates only these. */
    static final String DECODER_PREFIX = "dec.";
    private static final double LOGVAR_BIAS = -6;   // start nearly deterministic: std e^-3 ~ 0.05

    private VaeNetwork() {
    }

    /** Every parameter, in a fixed order, with its shape. */
    static Map<String, long[]> parameterShapes(VaeConfig c) {
        Map<String, long[]> p = new LinkedHashMap<>();
        int levels = c.levels(), deep = c.width(levels), latent = c.latentChannels();
        conv(p, "enc.stem", c.imageChannels(), c.width(0));
        for (int i = 0; i < levels; i++) {
            conv(p, "enc.down" + i, c.width(i), c.width(i + 1));
        }
        conv(p, "enc.mid", deep, deep);
        conv(p, "enc.mean", deep, latent);
        conv(p, "enc.logvar", deep, latent);
        conv(p, "dec.in", latent, deep);
        conv(p, "dec.mid", deep, deep);
        for (int i = levels - 1; i >= 0; i--) {
            conv(p, "dec.up" + i, c.width(i + 1), c.width(i));
        }
        conv(p, "dec.out", c.width(0), c.imageChannels());
        return p;
    }

    private static void conv(Map<String, long[]> p, String name, int in, int out) {
        p.put(name + ".w", new long[] {3, 3, in, out});
        p.put(name + ".b", new long[] {out});
    }

    /**
     * Fresh weights: He-normal kernels (std sqrt(2 / fan-in)), zero biases, a 10x smaller output conv so the
     * first reconstructions are near grey, and a log-variance head that starts at e^-6.
     */
    static Map<String, float[]> initialize(VaeConfig c, long seed) {
        Random random = new Random(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : parameterShapes(c).entrySet()) {
            long[] s = e.getValue();
            float[] v = new float[Math.toIntExact(count(s))];
            String name = e.getKey();
            if (name.endsWith(".w") && !name.startsWith("enc.logvar")) {
                double std = Math.sqrt(2.0 / (s[0] * s[1] * s[2])) * (name.startsWith("dec.out") ? 0.1 : 1);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (random.nextGaussian() * std);
                }
            } else if (name.equals("enc.logvar.b")) {
                java.util.Arrays.fill(v, (float) LOGVAR_BIAS);
            }
            out.put(name, v);
        }
        return out;
    }

    /** Elements of a shape. */
    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Declares every parameter in {@code sd} as a trainable variable holding {@code weights}. */
    static void declare(SameDiff sd, VaeConfig c, Map<String, float[]> weights) {
        for (var e : parameterShapes(c).entrySet()) {
            float[] v = weights.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("no value for VAE parameter " + e.getKey());
            }
            sd.var(e.getKey(), Nd4j.create(v, e.getValue(), 'c').castTo(DataType.FLOAT));
        }
    }

    /** The posterior's mean and log-variance of {@code pixels} [N, I, S, S] (I image channels) in [-1, 1]: two [N, C, S/d, S/d]. */
    static SDVariable[] encode(SameDiff sd, VaeConfig c, SDVariable pixels) {
        SDVariable h = act(sd, c, conv(sd, pixels, "enc.stem", 1));              // [N, w0, S, S]
        for (int i = 0; i < c.levels(); i++) {
            h = act(sd, c, conv(sd, h, "enc.down" + i, 2));                     // [N, w(i+1), S/2^(i+1), ...]
        }
        h = act(sd, c, conv(sd, h, "enc.mid", 1));                              // [N, wL, S/d, S/d]
        return new SDVariable[] {conv(sd, h, "enc.mean", 1), conv(sd, h, "enc.logvar", 1)};   // [N, C, S/d, S/d]
    }

    /** Pixels [N, I, S, S] (unbounded; about [-1, 1]) from latents [N, C, S/d, S/d] in the raw (unscaled) space. */
    static SDVariable decode(SameDiff sd, VaeConfig c, SDVariable z) {
        SDVariable h = act(sd, c, conv(sd, z, "dec.in", 1));                    // [N, wL, S/d, S/d]
        h = act(sd, c, conv(sd, h, "dec.mid", 1));
        for (int i = c.levels() - 1; i >= 0; i--) {
            h = sd.cnn.upsampling2d(h, 2, 2, true);                             // nearest, NCHW: [N, w, 2h, 2w]
            h = act(sd, c, conv(sd, h, "dec.up" + i, 1));                       // [N, w(i), S/2^i, ...]
        }
        return conv(sd, h, "dec.out", 1);                                       // [N, I, S, S]
    }

    private static SDVariable conv(SameDiff sd, SDVariable x, String name, int stride) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(stride).sW(stride).pH(1).pW(1)
                .dataFormat("NCHW").build();
        return sd.cnn.conv2d(x, sd.getVariable(name + ".w"), sd.getVariable(name + ".b"), cfg);
    }

    private static SDVariable act(SameDiff sd, VaeConfig c, SDVariable x) {
        // SiLU from sigmoid and mul: both have gradients in M2.1 and it keeps small negative signals alive
        return c.activation().equals("silu") ? x.mul(sd.nn.sigmoid(x)) : sd.nn.leakyRelu(x, 0.2);
    }

    /** Values of the graph's parameters, copied out (for checkpoints). */
    static Map<String, float[]> snapshot(SameDiff sd, VaeConfig c) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String name : parameterShapes(c).keySet()) {
            INDArray a = sd.getVariable(name).getArr();
            out.put(name, a.dup('c').data().asFloat());
        }
        return out;
    }
}
