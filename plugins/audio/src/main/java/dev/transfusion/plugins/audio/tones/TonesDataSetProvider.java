package dev.transfusion.plugins.audio.tones;

import dev.transfusion.api.TrainingExample;
import dev.transfusion.api.spi.DataSetJudge;
import dev.transfusion.api.spi.DataSetProvider;
import java.util.List;
import java.util.Optional;

/** tones-v1 as {@code --data tones}: {@link TonesCorpus}'s mix for training, {@link TonesEvaluation} as judge. */
public final class TonesDataSetProvider implements DataSetProvider {
    /** The name {@code --data} uses. */
    public static final String NAME = "tones";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "tones-v1 (docs/spec/tones-v1.md): " + TonesCorpus.PAIRS + " caption/audio pairs and "
                + TonesCorpus.QUESTIONS + " questions, 1 s mono 8 kHz clips, judged on the held-out test split";
    }

    @Override
    public List<TrainingExample> trainingExamples(long seed) {
        return TonesCorpus.examples(seed);
    }

    @Override
    public Optional<DataSetJudge> judge() {
        return Optional.of(new TonesEvaluation());
    }
}
