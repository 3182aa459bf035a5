package dev.transfusion.datasets.fashion;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The judge's classifier, the calibration's recipe: two 3x3 conv layers (16 and 32 channels, ReLU, 2x2 max
 * pooling each), one hidden layer of 128 (its activations are the features of the Frechet distance), ten logits.
 * Kernels are {@code [kH, kW, inC, outC]}, activations NCHW; pixels in [0, 1].
 */
final class ClassifierNetwork {
    static final int HIDDEN = 128;
    static final int CLASSES = 10;
    private static final int C1 = 16, C2 = 32;
    private static final int FLAT = C2 * 7 * 7;   // 28 -> 14 -> 7

    private ClassifierNetwork() {
    }

    /** Every parameter, in a fixed order, with its shape. */
    static Map<String, long[]> parameterShapes() {
        Map<String, long[]> p = new LinkedHashMap<>();
        p.put("conv1.w", new long[] {3, 3, 1, C1});
        p.put("conv1.b", new long[] {C1});
        p.put("conv2.w", new long[] {3, 3, C1, C2});
        p.put("conv2.b", new long[] {C2});
        p.put("hidden.w", new long[] {FLAT, HIDDEN});
        p.put("hidden.b", new long[] {HIDDEN});
        p.put("out.w", new long[] {HIDDEN, CLASSES});
        p.put("out.b", new long[] {CLASSES});
        return p;
    }

    /** He-normal weights (std sqrt(2 / fan-in)), zero biases, from {@code seed}. */
    static Map<String, float[]> initialize(long seed) {
        Random random = new Random(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : parameterShapes().entrySet()) {
            long[] s = e.getValue();
            long n = 1;
            for (long d : s) {
                n *= d;
            }
            float[] v = new float[(int) n];
            if (e.getKey().endsWith(".w")) {
                long fanIn = n / s[s.length - 1];
                double std = Math.sqrt(2.0 / fanIn);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (random.nextGaussian() * std);
                }
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    /** Declares the parameters in {@code sd} as trainable variables holding {@code weights}. */
    static void declare(SameDiff sd, Map<String, float[]> weights) {
        for (var e : parameterShapes().entrySet()) {
            float[] v = weights.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("no value for classifier parameter " + e.getKey());
            }
            sd.var(e.getKey(), Nd4j.create(v, e.getValue(), 'c').castTo(DataType.FLOAT));
        }
    }

    /** The hidden features [N, 128] and the logits [N, 10] of {@code pixels} [N, 1, 28, 28]. */
    static SDVariable[] forward(SameDiff sd, SDVariable pixels) {
        SDVariable h = pool(sd, sd.nn.relu(conv(sd, pixels, "conv1"), 0));        // [N, 16, 14, 14]
        h = pool(sd, sd.nn.relu(conv(sd, h, "conv2"), 0));                          // [N, 32, 7, 7]
        h = sd.reshape(h, -1, FLAT);                                                // [N, 1568]
        SDVariable features = sd.nn.relu(h.mmul(sd.getVariable("hidden.w")).add(sd.getVariable("hidden.b")), 0);
        SDVariable logits = features.mmul(sd.getVariable("out.w")).add(sd.getVariable("out.b"));   // [N, 10]
        return new SDVariable[] {features, logits};
    }

    private static SDVariable conv(SameDiff sd, SDVariable x, String name) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dataFormat("NCHW").build();
        return sd.cnn.conv2d(x, sd.getVariable(name + ".w"), sd.getVariable(name + ".b"), cfg);
    }

    private static SDVariable pool(SameDiff sd, SDVariable x) {
        return sd.cnn.maxPooling2d(x, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).isNHWC(false).build());
    }
}
