package dev.transfusion.datasets.shapes;

import dev.transfusion.api.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The built-in training mix drawn from the shapes-v1 train split: caption/image pairs (trained as
 * caption-to-image, image-to-caption and unconditional, as the pair builder draws them) and
 * image+question-to-answer documents, one of the spec's four questions each.
 */
public final class ShapesCorpus {
    /** Caption/image pairs in the default mix. */
    public static final int PAIRS = 6000;
    /**
     * Question-answer documents in the default mix. Captions and questions both follow
     * {@code [BOS, BOI] image [EOI]}; fewer questions than image-first captions (20% of the pairs) keep a
     * caption the likelier continuation there. With 3,000 questions the model answered "what shape is
     * it?circle" when asked for a caption (demo run: caption accuracy 0.00, answers 0.87).
     */
    public static final int QUESTIONS = 1000;

    private ShapesCorpus() {
    }

    /** The default mix. */
    public static List<TrainingExample> examples(long seed) {
        return examples(seed, PAIRS, QUESTIONS);
    }

    /** {@code pairs} pairs then {@code questions} question documents, from train samples 0, 1, 2, ... */
    public static List<TrainingExample> examples(long seed, int pairs, int questions) {
        ShapesDataset train = ShapesDataset.of(ShapesDataset.Split.TRAIN);
        SplittableRandom rng = new SplittableRandom(seed);
        List<TrainingExample> out = new ArrayList<>(pairs + questions);
        for (int i = 0; i < pairs; i++) {
            ShapeSample s = train.sample(i);
            out.add(new TrainingExample.Pair(s.caption(), s.image()));
        }
        for (int i = 0; i < questions; i++) {
            ShapeSample s = train.sample(pairs + i);
            QuestionAnswer qa = s.attributes().questions().get(rng.nextInt(4));
            out.add(new TrainingExample.QuestionAnswer(s.image(), qa.question(), qa.answer()));
        }
        return out;
    }
}
