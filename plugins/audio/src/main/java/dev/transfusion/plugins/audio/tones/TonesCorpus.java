package dev.transfusion.plugins.audio.tones;

import dev.transfusion.api.TrainingExample;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import java.util.SplittableRandom;

/**
 * The built-in training mix drawn from the tones-v1 train split: caption/audio pairs (trained as
 * caption-to-audio, audio-to-caption and unconditional, as the engine's pair builder draws them) and
 * audio+question-to-answer examples, one of the spec's five questions each.
 *
 * <p>The spec fixes the splits (their seeds) but no sizes. The mix mirrors shapes-v1's (6,000 pairs, 1,000
 * questions) so that {@code --data shapes,tones} weighs the two equally, and keeps questions at a sixth of
 * the examples for shapes' reason: captions and questions both follow {@code [BOS, <boa>] clip [<eoa>]}, and
 * a caption must stay the likelier continuation there. (The PyTorch calibration drew 20,000 clips without
 * questions; 72 combinations under jitter, so more clips add little.)
 *
 * <p>The list renders each clip when it is read (about a millisecond), not up front: 7,000 clips of 8,000
 * floats would hold 224 MB for as long as the list lives.
 */
public final class TonesCorpus {
    /** Caption/audio pairs in the default mix: train samples 0..5,999. */
    public static final int PAIRS = 6000;
    /** Question-answer examples in the default mix: train samples 6,000..6,999. */
    public static final int QUESTIONS = 1000;

    private TonesCorpus() {
    }

    /** The default mix. */
    public static List<TrainingExample> examples(long seed) {
        return examples(seed, PAIRS, QUESTIONS);
    }

    /**
     * {@code pairs} pairs then {@code questions} question examples, from train samples 0, 1, 2, ...; which
     * question each asks is drawn from {@code seed}, so the same seed gives the same list.
     */
    public static List<TrainingExample> examples(long seed, int pairs, int questions) {
        if (pairs < 0 || questions < 0) {
            throw new IllegalArgumentException("pairs and questions must be >= 0, got " + pairs + " and " + questions);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] asked = new byte[questions];
        for (int i = 0; i < questions; i++) {
            asked[i] = (byte) rng.nextInt(ToneQuestion.QUESTIONS.size());
        }
        return new Mix(TonesDataset.of(TonesDataset.Split.TRAIN), pairs, asked);
    }

    /** The mix as a list whose clips are rendered on reading. */
    private static final class Mix extends AbstractList<TrainingExample> implements RandomAccess {
        private final TonesDataset train;
        private final int pairs;
        private final byte[] asked;

        Mix(TonesDataset train, int pairs, byte[] asked) {
            this.train = train;
            this.pairs = pairs;
            this.asked = asked.clone();
        }

        @Override
        public TrainingExample get(int index) {
            if (index < 0 || index >= size()) {
                throw new IndexOutOfBoundsException("example " + index + " of " + size());
            }
            ToneSample s = train.sample(index);
            if (index < pairs) {
                return new TrainingExample.Pair(s.caption(), s.clip().toPart());
            }
            ToneQuestion q = s.questions().get(asked[index - pairs]);
            return new TrainingExample.QuestionAnswer(s.clip().toPart(), q.question(), q.answer());
        }

        @Override
        public int size() {
            return pairs + asked.length;
        }
    }
}
