package dev.transfusion.api.spi;

import dev.transfusion.api.TrainingExample;
import java.util.List;
import java.util.Optional;

/**
 * A data set the engine finds by name, as {@code --data NAME} (or {@code --data a,b} to mix several) names
 * it: a jar with a {@code META-INF/services/dev.transfusion.api.spi.DataSetProvider} entry. It gives its
 * training mix as API values, and optionally a judge for its held-out samples. The engine knows no data set;
 * data sets know nothing of the engine.
 */
public interface DataSetProvider {

    /** The name {@code --data} uses: lower case letters, digits and {@code -}, e.g. {@code "shapes"}. */
    String name();

    /** One line for people: what the examples are and where they are specified. */
    String description();

    /** The training mix; the same seed gives the same list. */
    List<TrainingExample> trainingExamples(long seed);

    /** The judge of the held-out samples, when the data set has one. */
    default Optional<DataSetJudge> judge() {
        return Optional.empty();
    }
}
