package dev.transfusion.api.spi;

import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.TransfusionModel;
import java.util.function.IntConsumer;

/** Evaluates a trained model on a data set's held-out samples by the data set's own rules. */
@FunctionalInterface
public interface DataSetJudge {

    /**
     * Judges {@code model} on the first {@code n} held-out samples.
     *
     * @param imageOptions options for drawing (sampler, steps, guidance); the judge sets the seed per sample
     * @param keepExamples how many samples to keep as {@link Evaluation.Example}s for a picture
     * @param progress     called with the number of samples done
     */
    Evaluation evaluate(TransfusionModel model, int n, GenerationOptions imageOptions, int keepExamples,
                        IntConsumer progress);
}
