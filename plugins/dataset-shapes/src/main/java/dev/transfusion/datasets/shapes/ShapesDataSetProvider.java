package dev.transfusion.datasets.shapes;

import dev.transfusion.api.TrainingExample;
import dev.transfusion.api.spi.DataSetJudge;
import dev.transfusion.api.spi.DataSetProvider;
import java.util.List;
import java.util.Optional;

/** shapes-v1 as {@code --data shapes}: {@link ShapesCorpus}'s mix for training, {@link ShapesEvaluation} as judge. */
public final class ShapesDataSetProvider implements DataSetProvider {
    /** The name {@code --data} uses. */
    public static final String NAME = "shapes";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "shapes-v1 (docs/spec/shapes-v1.md): " + ShapesCorpus.PAIRS + " caption/image pairs and "
                + ShapesCorpus.QUESTIONS + " questions, 32x32, judged on the held-out test split";
    }

    @Override
    public List<TrainingExample> trainingExamples(long seed) {
        return ShapesCorpus.examples(seed);
    }

    @Override
    public Optional<DataSetJudge> judge() {
        return Optional.of(new ShapesEvaluation());
    }
}
