package dev.transfusion.datasets.fashion;

import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TrainingDivergedException;
import dev.transfusion.core.model.GradientFunction;
import dev.transfusion.core.train.AdamW;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains the judge's classifier on the training split: Adam 2e-3, batch 64, cross-entropy from one-hot labels
 * (written as {@code logsumexp - target logit}, both kept as [N, 1]: {@code logSoftmax} along an axis breaks M2.1's gradient graph, and the reduce ops' backward fails on dropped dimensions).
 */
public final class ClassifierTrainer {
    static final int BATCH = 64;
    static final double LEARNING_RATE = 2e-3;

    private ClassifierTrainer() {
    }

    /**
     * Trains for {@code steps} batches drawn with {@code seed} from {@code train}.
     *
     * @param onStep called with the step just done
     */
    public static FashionClassifier train(FashionMnist train, int steps, long seed, IntConsumer onStep) {
        SameDiff sd = SameDiff.create();
        ClassifierNetwork.declare(sd, ClassifierNetwork.initialize(seed));
        SDVariable pixels = sd.placeHolder("pixels", DataType.FLOAT, -1, 1, FashionMnist.SIDE, FashionMnist.SIDE);
        SDVariable target = sd.placeHolder("target", DataType.FLOAT, -1, ClassifierNetwork.CLASSES);   // one-hot
        SDVariable logits = ClassifierNetwork.forward(sd, pixels)[1];                                   // [N, 10]
        SDVariable picked = logits.mul(target).sum(true, 1);                                            // [N, 1]
        SDVariable top = logits.max(true, 1);                                                          // [N, 1]
        SDVariable logSumExp = sd.math.log(sd.math.exp(logits.sub(top)).sum(true, 1)).add(top);        // [N, 1]
        SDVariable loss = sd.identity("loss", logSumExp.sub(picked).mean());
        sd.setLossVariables(loss);

        Map<String, INDArray> params = new LinkedHashMap<>();
        for (String name : ClassifierNetwork.parameterShapes().keySet()) {
            params.put(name, sd.getVariable(name).getArr());
        }
        AdamW adam = new AdamW(new AdamW.Settings(0.9, 0.999, 1e-8, 0.0, 0.0));
        SplittableRandom rng = new SplittableRandom(seed);
        for (int step = 1; step <= steps; step++) {
            List<RgbImage> images = new ArrayList<>(BATCH);
            float[] oneHot = new float[BATCH * ClassifierNetwork.CLASSES];
            for (int i = 0; i < BATCH; i++) {
                int k = rng.nextInt(train.size());
                images.add(train.image(k));
                oneHot[i * ClassifierNetwork.CLASSES + train.label(k).ordinal()] = 1;
            }
            Map<String, INDArray> out = new HashMap<>();
            Map<String, INDArray> grads = GradientFunction.run(sd, Map.of("pixels", FashionClassifier.pixels(images),
                    "target", Nd4j.create(oneHot, new long[] {BATCH, ClassifierNetwork.CLASSES}, 'c')),
                    List.of("loss"), new ArrayList<>(params.keySet()), out);
            double l = out.get("loss").getDouble(0), norm = AdamW.globalNorm(grads);
            if (!Double.isFinite(l) || !Double.isFinite(norm)) {
                throw new TrainingDivergedException("classifier training diverged at step " + step + ": loss " + l);
            }
            adam.update(params, grads, norm, LEARNING_RATE);
            onStep.accept(step);
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        params.forEach((name, a) -> weights.put(name, a.dup('c').data().asFloat()));
        return new FashionClassifier(weights);
    }
}
