package dev.transfusion.plugins.image;

import dev.transfusion.core.model.GradientFunction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The VAE's training graph: reparameterised sample, reconstruction loss (L1 or MSE, mean per value) plus
 * the KL weight times the mean KL per latent value.
 *
 * <p>The sample is {@code z = mean + (posterior * exp(logvar / 2) + extraSigma) * eps}, with the two
 * scalars fed per step: (1, 0) is the ordinary VAE; (0, sigma) is the decoder fine-tune, where the decoder
 * learns to read the posterior mean under a fixed noise, as the transformer's slightly-off latents will be.
 */
final class VaeTrainingGraph {
    static final String PIXELS = "pixels";
    static final String EPS = "eps";
    static final String PIXEL_WEIGHTS = "pixel_weights";
    static final String POSTERIOR = "posterior";
    static final String EXTRA_SIGMA = "extra_sigma";
    static final String LOSS = "loss";
    static final String RECONSTRUCTION = "reconstruction_loss";
    static final String KL = "kl";

    /** One step's losses and gradients (arrays valid until the next step: {@link GradientFunction}). */
    record Result(double loss, double reconstruction, double kl, Map<String, INDArray> gradients) {
    }

    private final SameDiff sd;
    private final VaeConfig config;

    VaeTrainingGraph(VaeConfig config, Map<String, float[]> weights) {
        this.config = config;
        this.sd = SameDiff.create();
        VaeNetwork.declare(sd, config, weights);
        int s = config.imageSize(), l = config.latentSize(), c = config.latentChannels();
        SDVariable pixels = sd.placeHolder(PIXELS, DataType.FLOAT, -1, config.imageChannels(), s, s);   // [N, I, S, S]
        SDVariable eps = sd.placeHolder(EPS, DataType.FLOAT, -1, c, l, l);           // [N, C, h, w]
        SDVariable pixelWeights = sd.placeHolder(PIXEL_WEIGHTS, DataType.FLOAT, -1, 1, s, s);  // [N, 1, S, S]
        SDVariable posterior = sd.placeHolder(POSTERIOR, DataType.FLOAT, 1, 1, 1, 1);
        SDVariable extraSigma = sd.placeHolder(EXTRA_SIGMA, DataType.FLOAT, 1, 1, 1, 1);
        SDVariable[] q = VaeNetwork.encode(sd, config, pixels);
        SDVariable mean = q[0], logVar = q[1];                                       // [N, C, h, w]
        SDVariable std = sd.math.exp(logVar.mul(0.5));
        SDVariable z = mean.add(std.mul(posterior).add(extraSigma).mul(eps));
        SDVariable diff = VaeNetwork.decode(sd, config, z).sub(pixels);               // [N, I, S, S]
        SDVariable perValue = config.loss().equals("l1") ? sd.math.abs(diff) : diff.mul(diff);
        SDVariable rec = perValue.mul(pixelWeights).mean();                           // weights broadcast over RGB
        SDVariable kl = mean.mul(mean).add(sd.math.exp(logVar)).sub(1.0).sub(logVar).mul(0.5).mean();
        sd.identity(RECONSTRUCTION, rec);
        sd.identity(KL, kl);
        SDVariable loss = sd.identity(LOSS, rec.add(kl.mul(config.klWeight())));
        sd.setLossVariables(loss);
    }

    /** The parameter arrays, by name: updating them in place changes the graph. */
    Map<String, INDArray> parameters() {
        Map<String, INDArray> p = new java.util.LinkedHashMap<>();
        for (String name : VaeNetwork.parameterShapes(config).keySet()) {
            p.put(name, sd.getVariable(name).getArr());
        }
        return p;
    }

    /** Current weights, copied out. */
    Map<String, float[]> weights() {
        return VaeNetwork.snapshot(sd, config);
    }

    /**
     * Forward and backward on one batch.
     *
     * @param pixels     [N, I, S, S] in [-1, 1]
     * @param weights    [N, 1, S, S] per-pixel loss weights ({@link EdgeWeights})
     * @param eps        [N, C, h, w] standard normal noise
     * @param posterior  1 to sample the posterior, 0 to use its mean
     * @param extraSigma fixed noise added to the latent (raw units)
     * @param names      parameters whose gradients are wanted
     */
    Result step(INDArray pixels, INDArray weights, INDArray eps, double posterior, double extraSigma,
                List<String> names) {
        Map<String, INDArray> ph = Map.of(PIXELS, pixels, PIXEL_WEIGHTS, weights, EPS, eps,
                POSTERIOR, Nd4j.scalar(DataType.FLOAT, posterior).reshape(1, 1, 1, 1),
                EXTRA_SIGMA, Nd4j.scalar(DataType.FLOAT, extraSigma).reshape(1, 1, 1, 1));
        Map<String, INDArray> o = new HashMap<>();
        Map<String, INDArray> grads = GradientFunction.run(sd, ph, List.of(LOSS, RECONSTRUCTION, KL),
                new ArrayList<>(names), o);
        return new Result(o.get(LOSS).getDouble(0), o.get(RECONSTRUCTION).getDouble(0), o.get(KL).getDouble(0), grads);
    }
}
