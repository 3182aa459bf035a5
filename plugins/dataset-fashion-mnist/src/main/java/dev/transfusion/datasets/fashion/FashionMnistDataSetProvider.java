package dev.transfusion.datasets.fashion;

import dev.transfusion.api.TrainingExample;
import dev.transfusion.api.spi.DataSetJudge;
import dev.transfusion.api.spi.DataSetProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Fashion-MNIST as {@code --data fashion-mnist}: every training image with its class caption, and one in ten
 * asked {@value FashionClass#QUESTION}; judged by {@link FashionEvaluation}. The files are those in the folder
 * {@code --data fashion-mnist:PATH} names, else in the folder the {@value #DIR_PROPERTY} system property names,
 * else the Debian package's ({@link FashionMnist#DEFAULT_DIR}).
 */
public final class FashionMnistDataSetProvider implements DataSetProvider {
    /** The name {@code --data} uses. */
    public static final String NAME = "fashion-mnist";
    /** A system property naming another folder of the four IDX files. */
    public static final String DIR_PROPERTY = "transfusion.fashion-mnist.dir";
    /** One question document for this many captioned images. */
    static final int QUESTION_EVERY = 10;

    static java.nio.file.Path dir() {
        return dir("");
    }

    /** The folder of the four IDX files: {@code argument} when given, else the property's, else Debian's. */
    static java.nio.file.Path dir(String argument) {
        if (!argument.isBlank()) {
            return java.nio.file.Path.of(argument);
        }
        String d = System.getProperty(DIR_PROPERTY);
        return d == null || d.isBlank() ? FashionMnist.DEFAULT_DIR : java.nio.file.Path.of(d);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Fashion-MNIST (Debian package dataset-fashion-mnist): 60,000 28x28 grey images with class captions "
                + "'a photo of a NAME', one in " + QUESTION_EVERY + " also asked '" + FashionClass.QUESTION
                + "'; judged by a CNN classifier on the 10,000 test images";
    }

    @Override
    public String argumentSyntax() {
        return "PATH: the folder of the four IDX files (default " + FashionMnist.DEFAULT_DIR + ")";
    }

    @Override
    public List<TrainingExample> trainingExamples(long seed) {
        return trainingExamples("", seed);
    }

    @Override
    public List<TrainingExample> trainingExamples(String argument, long seed) {
        FashionMnist train = FashionMnist.open(dir(argument), FashionMnist.Split.TRAIN);
        SplittableRandom rng = new SplittableRandom(seed);
        List<TrainingExample> out = new ArrayList<>(train.size() + train.size() / QUESTION_EVERY);
        for (int i = 0; i < train.size(); i++) {
            out.add(new TrainingExample.Pair(train.label(i).caption(), train.image(i)));
        }
        for (int q = 0; q < train.size() / QUESTION_EVERY; q++) {
            int i = rng.nextInt(train.size());
            out.add(new TrainingExample.QuestionAnswer(train.image(i), FashionClass.QUESTION, train.label(i).label()));
        }
        return out;
    }

    @Override
    public Optional<DataSetJudge> judge() {
        return judge("");
    }

    @Override
    public Optional<DataSetJudge> judge(String argument) {
        return Optional.of(new FashionEvaluation(dir(argument), FashionEvaluation.judgeDir()));
    }
}
