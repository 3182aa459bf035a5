package dev.transfusion.plugins.audio.tones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImageScore;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Mode;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.TextScore;
import dev.transfusion.api.TrainingExample;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.api.Usage;
import dev.transfusion.api.spi.DataSetProvider;
import dev.transfusion.api.spi.Evaluation;
import dev.transfusion.plugins.audio.AudioClip;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** tones-v1 as a data set found by name: its training mix and its judge, through the SPI alone. */
class TonesDataSetProviderTest {
    static final int N = 10;
    static final List<String> FIGURES = List.of("text_to_audio_all", "text_to_audio_pitch", "text_to_audio_contour",
            "text_to_audio_rhythm", "text_to_audio_timbre", "text_to_audio_loudness", "caption_accuracy",
            "answer_accuracy");

    private static DataSetProvider tones() {
        List<DataSetProvider> found = new ArrayList<>();
        ServiceLoader.load(DataSetProvider.class).forEach(found::add);
        assertEquals(1, found.size(), "the module registers exactly one data set: " + found);
        return found.get(0);
    }

    @Test
    void isRegisteredUnderItsName() {
        DataSetProvider p = tones();
        assertEquals("tones", p.name());
        assertInstanceOf(TonesDataSetProvider.class, p);
        assertTrue(p.judge().isPresent());
        assertTrue(p.description().startsWith("tones-v1"), p.description());
    }

    @Test
    void trainingMixIsTrainPairsThenQuestionsOfAudioPartsAndRepeatsForASeed() {
        List<TrainingExample> a = tones().trainingExamples(3);
        assertEquals(TonesCorpus.PAIRS + TonesCorpus.QUESTIONS, a.size());
        TonesDataset train = TonesDataset.of(TonesDataset.Split.TRAIN);
        TrainingExample.Pair first = assertInstanceOf(TrainingExample.Pair.class, a.get(0));
        assertEquals(train.sample(0).caption(), first.caption());
        assertEquals(train.sample(0).clip(), AudioClip.of(first.part()));
        assertEquals("audio", first.part().modality());
        assertInstanceOf(TrainingExample.Pair.class, a.get(TonesCorpus.PAIRS - 1));
        int[] asked = new int[5];
        for (int i = TonesCorpus.PAIRS; i < a.size(); i += 7) {
            TrainingExample.QuestionAnswer qa = assertInstanceOf(TrainingExample.QuestionAnswer.class, a.get(i));
            ToneSample s = train.sample(i);
            assertEquals(s.clip(), AudioClip.of(qa.part()));
            int k = ToneQuestion.QUESTIONS.indexOf(qa.question());
            assertTrue(k >= 0, qa.question());
            assertEquals(s.questions().get(k).answer(), qa.answer());
            asked[k]++;
        }
        for (int k = 0; k < 5; k++) {
            assertTrue(asked[k] > 10, "question " + k + " asked " + asked[k] + " times in 143");
        }
        List<TrainingExample> again = tones().trainingExamples(3);
        assertEquals(a.subList(TonesCorpus.PAIRS - 5, TonesCorpus.PAIRS + 50),
                again.subList(TonesCorpus.PAIRS - 5, TonesCorpus.PAIRS + 50));
        List<TrainingExample> other = tones().trainingExamples(4);
        assertNotEquals(a.subList(TonesCorpus.PAIRS, TonesCorpus.PAIRS + 50),
                other.subList(TonesCorpus.PAIRS, TonesCorpus.PAIRS + 50), "the seed picks the questions");
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(a.size()));
    }

    @Test
    void aModelThatIsAlwaysRightScoresOne() {
        Evaluation right = tones().judge().orElseThrow().evaluate(Oracle.right(), N,
                GenerationOptions.builder().build(), 3, done -> { });
        for (String key : FIGURES) {
            assertEquals(1.0, right.metric(key).value(), key);
        }
        assertEquals(N, right.metric("n").value());
        assertEquals("n", right.metrics().get(0).key(), "metrics.json starts with the sample count");
        assertEquals("tones-v1", right.title());
        assertEquals(3, right.examples().size());
        assertTrue(right.failures().isEmpty());
        Evaluation.Example e = right.examples().get(0);
        ToneSample s0 = TonesDataset.of(TonesDataset.Split.TEST).sample(0);
        assertEquals(s0.caption(), e.prompt());
        assertEquals(s0.caption(), e.drawnReading(), "the judge heard the true clip as its caption");
        assertEquals(ToneQuestion.PITCH, e.question());
        assertEquals(64, e.truth().width(), "a clip is shown as its 32 x 64 spectrogram");
        assertEquals(32, e.truth().height());
        assertEquals(e.truth(), e.generated());
    }

    @Test
    void aModelThatIsWrongInEveryAttributeScoresZero() {
        int[] done = {0};
        Evaluation wrong = tones().judge().orElseThrow().evaluate(Oracle.wrong(), N,
                GenerationOptions.builder().build(), 2, k -> done[0] = k);
        for (String key : FIGURES) {
            assertEquals(0.0, wrong.metric(key).value(), key);
        }
        assertEquals(N, done[0], "progress reached every sample");
        assertEquals(2, wrong.failures().size());
        assertEquals(List.of("pitch", "contour", "rhythm", "timbre", "loudness"),
                wrong.failures().get(0).drawnWrong());
    }

    @Test
    void aModelThatDrawsNoAudioOrAClipOfAnotherLengthIsAnErrorNamingIt() {
        TransfusionModel textOnly = new Oracle(UnaryOperator.identity()) {
            @Override
            public GenerationResult generate(Document prompt, GenerationOptions options, GenerationListener listener,
                                             Cancellation cancellation) {
                return new GenerationResult(List.of(new TextPart("hm")), FinishReason.END_OF_SEQUENCE,
                        new Usage(0, 1, 0, 0));
            }
        };
        var none = assertThrows(IllegalStateException.class, () -> tones().judge().orElseThrow()
                .evaluate(textOnly, 1, GenerationOptions.builder().build(), 0, k -> { }));
        assertEquals("the model drew no 'audio' part for the caption '"
                + TonesDataset.of(TonesDataset.Split.TEST).sample(0).caption() + "' (it gave [text], finish "
                + "END_OF_SEQUENCE)", none.getMessage());
        TransfusionModel twoSeconds = new Oracle(UnaryOperator.identity()) {
            @Override
            public GenerationResult generate(Document prompt, GenerationOptions options, GenerationListener listener,
                                             Cancellation cancellation) {
                return new GenerationResult(List.of(new AudioClip(new float[16000]).toPart()),
                        FinishReason.END_OF_SEQUENCE, new Usage(0, 0, 1, 0));
            }
        };
        var length = assertThrows(InvalidInputException.class, () -> tones().judge().orElseThrow()
                .evaluate(twoSeconds, 1, GenerationOptions.builder().build(), 0, k -> { }));
        assertEquals("tones-v1 judges clips of exactly 8000 samples (1 s at 8000 Hz), got 16000", length.getMessage());
    }

    /**
     * Knows the held-out clips: draws the clip of the caption it is asked for (with {@code change} applied to its
     * attributes), and captions and answers about a held-out clip from its true attributes (changed too). It
     * insists on being asked for audio, so an evaluation that forgets the modality fails here.
     */
    private static class Oracle implements TransfusionModel {
        private static final TonesDataset TEST = TonesDataset.of(TonesDataset.Split.TEST);
        private final UnaryOperator<ToneAttributes> change;
        private final Map<AudioClip, ToneAttributes> known = new HashMap<>();

        Oracle(UnaryOperator<ToneAttributes> change) {
            this.change = change;
            for (int i = 0; i < N; i++) {
                known.put(TEST.sample(i).clip(), TEST.sample(i).attributes());
            }
        }

        static Oracle right() {
            return new Oracle(UnaryOperator.identity());
        }

        /** Every attribute moved to another value. */
        static Oracle wrong() {
            return new Oracle(a -> new ToneAttributes(TonePitch.values()[(a.pitch().ordinal() + 1) % 3],
                    ToneContour.values()[(a.contour().ordinal() + 1) % 3],
                    ToneRhythm.values()[1 - a.rhythm().ordinal()], ToneTimbre.values()[1 - a.timbre().ordinal()],
                    ToneLoudness.values()[1 - a.loudness().ordinal()]));
        }

        @Override
        public GenerationResult generate(Document prompt, GenerationOptions options, GenerationListener listener,
                                         Cancellation cancellation) {
            assertEquals(Mode.IMAGE, options.mode());
            assertEquals("audio", options.modality());
            String caption = ((TextPart) prompt.parts().get(0)).text();
            ToneSample s = TEST.sample(options.seed());
            assertEquals(s.caption(), caption, "the judge asks for held-out sample " + options.seed());
            ToneAttributes a = change.apply(s.attributes());
            // the true clip itself, or one rendered with the changed attributes
            AudioClip clip = a.equals(s.attributes()) ? s.clip()
                    : TonesDataset.render(a, a.pitch().hz(), a.loudness().peak()).clip();
            return new GenerationResult(List.of(clip.toPart()), FinishReason.END_OF_SEQUENCE,
                    new Usage(0, 0, 1, options.seed()));
        }

        private ToneAttributes truth(Part part) {
            ToneAttributes a = known.get(AudioClip.of(part));
            assertTrue(a != null, "asked about a clip that is not held out");
            return change.apply(a);
        }

        @Override
        public String caption(Part part, GenerationOptions options, Cancellation cancellation) {
            assertEquals(Mode.TEXT, options.mode());
            return truth(part).caption();
        }

        @Override
        public String answer(Part part, String question, GenerationOptions options, Cancellation cancellation) {
            return truth(part).questions().stream().filter(q -> q.question().equals(question)).findFirst()
                    .orElseThrow().answer();
        }

        @Override
        public String caption(RgbImage image, GenerationOptions options) {
            throw new UnsupportedOperationException("tones captions audio, not images");
        }

        @Override
        public String answer(RgbImage image, String question, GenerationOptions options) {
            throw new UnsupportedOperationException("tones asks about audio, not images");
        }

        @Override
        public TextScore scoreText(Document context, String text) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ImageScore scoreImage(String caption, RgbImage image, int[] timesteps, long seed) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ModelInfo info() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
