package dev.transfusion.datasets.fashion;

import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.Mode;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.api.spi.DataSetJudge;
import dev.transfusion.api.spi.Evaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Judges a model on Fashion-MNIST's test split with the project's classifier ({@link FashionClassifier}): class
 * accuracy of images drawn from each class caption (n images, classes in turn), the Frechet distance between the
 * classifier's features of those images and of n real test images, beside its floor (the same distance between
 * two disjoint sets of n real test images), captioning accuracy (the caption names the image's class) and answer
 * accuracy ({@value FashionClass#QUESTION}). The classifier is read from {@link #judgeDir()}, or trained there
 * first ({@value #JUDGE_STEPS} steps, a few minutes) when absent.
 */
public final class FashionEvaluation implements DataSetJudge {
    /** The classifier's training steps: 0.90+ test accuracy at batch 64. */
    public static final int JUDGE_STEPS = 3000;
    /** A system property naming the classifier's directory. */
    public static final String JUDGE_PROPERTY = "transfusion.fashion-mnist.judge";

    private final Path data;
    private final Supplier<FashionClassifier> classifier;

    /** A judge over the IDX files in {@code data}, with its classifier in {@code judge} (trained there if absent). */
    public FashionEvaluation(Path data, Path judge) {
        this(data, () -> classifier(data, judge));
    }

    FashionEvaluation(Path data, Supplier<FashionClassifier> classifier) {
        this.data = data;
        this.classifier = classifier;
    }

    /** Where the classifier lives: {@value #JUDGE_PROPERTY}, else {@code ~/.cache/transfusion/fashion-mnist-judge}. */
    static Path judgeDir() {
        String d = System.getProperty(JUDGE_PROPERTY);
        return d != null && !d.isBlank() ? Path.of(d)
                : Path.of(System.getProperty("user.home"), ".cache", "transfusion", "fashion-mnist-judge");
    }

    /** The classifier in {@code judge}, trained and saved there first if it holds none. */
    static FashionClassifier classifier(Path data, Path judge) {
        if (Files.exists(judge.resolve("manifest.json"))) {
            return ClassifierDirectory.load(judge);
        }
        FashionClassifier c = ClassifierTrainer.train(FashionMnist.open(data, FashionMnist.Split.TRAIN), JUDGE_STEPS, 1,
                s -> { });
        ClassifierDirectory.save(judge, c);
        return c;
    }

    @Override
    public Evaluation evaluate(TransfusionModel model, int n, GenerationOptions imageOptions, int keepExamples,
                               IntConsumer progress) {
        FashionMnist test = FashionMnist.open(data, FashionMnist.Split.TEST);
        if (3 * n > test.size()) {
            throw new dev.transfusion.api.InvalidInputException("a Fashion-MNIST evaluation takes 3 n test images; n "
                    + n + " is over " + test.size() / 3);
        }
        FashionClassifier classifier = this.classifier.get();
        GenerationOptions text = GenerationOptions.builder().maxTokens(16).build();
        List<RgbImage> drawn = new ArrayList<>(), real = new ArrayList<>(), floor = new ArrayList<>();
        List<FashionClass> asked = new ArrayList<>();
        List<Evaluation.Example> examples = new ArrayList<>();
        int captions = 0, answers = 0;
        for (int i = 0; i < n; i++) {
            FashionClass c = FashionClass.of(i % 10);
            asked.add(c);
            RgbImage image = toJudgeSize(model.generate(Document.text(c.caption()),
                    imageOptions.toBuilder().mode(Mode.IMAGE).seed((long) i).build()).images().get(0));
            drawn.add(image);
            real.add(test.image(i));
            floor.add(test.image(n + i));
            String caption = model.caption(test.image(2 * n + i), text);
            captions += FashionClass.named(caption) == test.label(2 * n + i) ? 1 : 0;
            String answer = model.answer(test.image(2 * n + i), FashionClass.QUESTION, text);
            answers += FashionClass.named(answer) == test.label(2 * n + i) ? 1 : 0;
            if (examples.size() < keepExamples) {
                examples.add(new Evaluation.Example(c.caption(), image, test.image(2 * n + i), caption));
            }
            progress.accept(i + 1);
        }
        FashionClassifier.Reading[] d = classifier.read(drawn), r = classifier.read(real), f = classifier.read(floor);
        int classRight = 0;
        for (int i = 0; i < n; i++) {
            classRight += d[i].label() == asked.get(i) ? 1 : 0;
        }
        double frechet = FrechetDistance.between(features(d), features(r));
        double frechetFloor = FrechetDistance.between(features(f), features(r));
        List<Evaluation.Metric> metrics = List.of(
                new Evaluation.Metric("n", "samples", Evaluation.Kind.COUNT, n),
                new Evaluation.Metric("text_to_image_class", "generated images of the class asked for",
                        Evaluation.Kind.SHARE, classRight / (double) n),
                new Evaluation.Metric("frechet", "Frechet distance of classifier features, generated vs real",
                        Evaluation.Kind.VALUE, frechet),
                new Evaluation.Metric("frechet_floor", "the same between two sets of real test images",
                        Evaluation.Kind.VALUE, frechetFloor),
                new Evaluation.Metric("caption_accuracy", "captions naming the right class", Evaluation.Kind.SHARE,
                        captions / (double) n),
                new Evaluation.Metric("answer_accuracy", "answers naming the right class", Evaluation.Kind.SHARE,
                        answers / (double) n));
        return new Evaluation("Fashion-MNIST", "chance for the class is 10%; the Frechet floor is what real images "
                + "score against real images at this count", metrics, examples, List.of(), List.of(byClass(drawn)));
    }

    /**
     * The drawn images in a row per class, up to {@value #GRID_COLUMNS} each: drawing i asked for class i mod 10, so
     * a person sees whether every class is drawn and how varied.
     */
    static Evaluation.Grid byClass(List<RgbImage> drawn) {
        List<String> labels = new ArrayList<>();
        List<List<RgbImage>> rows = new ArrayList<>();
        for (int k = 0; k < 10 && k < drawn.size(); k++) {
            labels.add(FashionClass.of(k).label());
            List<RgbImage> row = new ArrayList<>();
            for (int i = k; i < drawn.size() && row.size() < GRID_COLUMNS; i += 10) {
                row.add(drawn.get(i));
            }
            rows.add(row);
        }
        return new Evaluation.Grid("drawn images by class", labels, rows);
    }

    /** Drawn images per class in the grid. */
    static final int GRID_COLUMNS = 12;

    private static float[][] features(FashionClassifier.Reading[] readings) {
        float[][] f = new float[readings.length][];
        for (int i = 0; i < f.length; i++) {
            f[i] = readings[i].features();
        }
        return f;
    }

    /**
     * A drawn image as the judge reads it: 28 x 28. A codec of another size resized the 28 x 28 training images to
     * its own (the image plugin's rule), so its drawings are resized back the same way, not cropped: a crop would
     * show the judge a zoomed item with its edges cut.
     */
    static RgbImage toJudgeSize(RgbImage image) {
        return image.resized(FashionMnist.SIDE, FashionMnist.SIDE);
    }
}
