package dev.transfusion.core.plugin;

import dev.transfusion.api.TrainingExample;
import dev.transfusion.api.spi.DataSetJudge;
import dev.transfusion.api.spi.DataSetProvider;
import java.util.List;
import java.util.Optional;

/**
 * One {@code --data} entry that names a registered data set: {@code NAME}, or {@code NAME:ARGUMENT} where the
 * text after the first colon goes to the data set (e.g. {@code fashion-mnist:/data/fmnist}).
 *
 * @param provider the data set
 * @param argument what followed the colon; {@code ""} when there was none
 */
public record DataSetSpec(DataSetProvider provider, String argument) {
    /** The training examples. */
    public List<TrainingExample> examples(long seed) {
        return provider.trainingExamples(argument, seed);
    }

    /** The judge of its held-out samples, when it has one. */
    public Optional<DataSetJudge> judge() {
        return provider.judge(argument);
    }

    /** As written: {@code NAME} or {@code NAME:ARGUMENT}. */
    @Override
    public String toString() {
        return argument.isEmpty() ? provider.name() : provider.name() + ":" + argument;
    }
}
