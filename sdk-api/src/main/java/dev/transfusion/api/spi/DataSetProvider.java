package dev.transfusion.api.spi;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.TrainingExample;
import java.util.List;
import java.util.Optional;

/**
 * A data set the engine finds by name, as {@code --data NAME} (or {@code --data a,b} to mix several) names
 * it: a jar with a {@code META-INF/services/dev.transfusion.api.spi.DataSetProvider} entry. It gives its
 * training mix as API values, and optionally a judge for its held-out samples. The engine knows no data set;
 * data sets know nothing of the engine.
 *
 * <p>{@code --data NAME:ARGUMENT} hands the text after the first colon to the data set (a folder, files): the
 * methods that take an {@code argument} receive it, {@code ""} when there is none. A data set that takes no
 * argument keeps the defaults, which refuse one. In a mix, such an entry takes the rest of {@code --data}, commas
 * included, so it comes last: {@code --data shapes,idx:images.idx,labels.idx}.
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

    /**
     * The training mix of {@code --data NAME:ARGUMENT}; the default takes no argument.
     *
     * @throws InvalidInputException when the argument is not what this data set expects
     */
    default List<TrainingExample> trainingExamples(String argument, long seed) {
        refuseArgument(argument);
        return trainingExamples(seed);
    }

    /** The judge of {@code --data NAME:ARGUMENT}'s held-out samples; the default takes no argument. */
    default Optional<DataSetJudge> judge(String argument) {
        refuseArgument(argument);
        return judge();
    }

    /** What {@code ARGUMENT} in {@code NAME:ARGUMENT} may be, for messages; {@code ""} when there is none. */
    default String argumentSyntax() {
        return "";
    }

    private void refuseArgument(String argument) {
        if (!argument.isEmpty()) {
            throw new InvalidInputException("data set '" + name() + "' takes no argument, got '" + name() + ":"
                    + argument + "'; expected --data " + name());
        }
    }
}
