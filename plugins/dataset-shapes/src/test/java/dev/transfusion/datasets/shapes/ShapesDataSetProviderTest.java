package dev.transfusion.datasets.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.ImageScore;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextScore;
import dev.transfusion.api.TrainingExample;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.api.Usage;
import dev.transfusion.api.spi.DataSetProvider;
import dev.transfusion.api.spi.Evaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** shapes-v1 as a data set found by name: its training mix and its judge, through the SPI alone. */
class ShapesDataSetProviderTest {

    private static DataSetProvider shapes() {
        List<DataSetProvider> found = new ArrayList<>();
        ServiceLoader.load(DataSetProvider.class).forEach(found::add);
        assertEquals(1, found.size(), "the module registers exactly one data set: " + found);
        return found.get(0);
    }

    @Test
    void isRegisteredUnderItsName() {
        DataSetProvider p = shapes();
        assertEquals("shapes", p.name());
        assertInstanceOf(ShapesDataSetProvider.class, p);
        assertTrue(p.judge().isPresent());
    }

    @Test
    void trainingMixIsTheCorpusPairsThenQuestionsAndRepeatsForASeed() {
        List<TrainingExample> a = shapes().trainingExamples(3);
        assertEquals(ShapesCorpus.PAIRS + ShapesCorpus.QUESTIONS, a.size());
        TrainingExample.Pair first = assertInstanceOf(TrainingExample.Pair.class, a.get(0));
        ShapeSample s0 = ShapesDataset.of(ShapesDataset.Split.TRAIN).sample(0);
        assertEquals(s0.caption(), first.caption());
        assertEquals(s0.image(), first.image());
        TrainingExample.QuestionAnswer qa = assertInstanceOf(TrainingExample.QuestionAnswer.class,
                a.get(ShapesCorpus.PAIRS));
        assertTrue(QuestionAnswer.QUESTIONS.contains(qa.question()), qa.question());
        assertEquals(a, shapes().trainingExamples(3));
    }

    @Test
    void aModelThatIsAlwaysRightScoresOneAndOneThatDrawsNothingScoresZero() {
        Evaluation right = shapes().judge().orElseThrow().evaluate(new Oracle(true), 8,
                GenerationOptions.builder().build(), 3, done -> { });
        for (String key : List.of("text_to_image_all", "text_to_image_colour", "text_to_image_shape",
                "text_to_image_size", "text_to_image_position", "caption_accuracy", "answer_accuracy")) {
            assertEquals(1.0, right.metric(key).value(), key);
        }
        assertEquals(8, right.metric("n").value());
        assertEquals(Math.exp(0.5), right.metric("caption_perplexity").value(), 1e-9);
        assertEquals(3, right.examples().size());
        assertEquals("n", right.metrics().get(0).key(), "metrics.json starts with the sample count");

        Evaluation blank = shapes().judge().orElseThrow().evaluate(new Oracle(false), 8,
                GenerationOptions.builder().build(), 0, done -> { });
        assertEquals(0.0, blank.metric("text_to_image_all").value());
        assertEquals(0.0, blank.metric("caption_accuracy").value());
        assertEquals(0.0, blank.metric("answer_accuracy").value());
        assertTrue(blank.examples().isEmpty());
    }

    /**
     * Draws the test image of the seed it is given and reads images with the judge itself (or, when not
     * {@code right}, draws white and says nothing useful); every token has log-probability -0.5.
     */
    private record Oracle(boolean right) implements TransfusionModel {
        private static final ShapesDataset TEST = ShapesDataset.of(ShapesDataset.Split.TEST);

        @Override
        public GenerationResult generate(Document prompt, GenerationOptions options, GenerationListener listener,
                                         Cancellation cancellation) {
            RgbImage image = right ? TEST.sample(options.seed()).image() : white();
            return new GenerationResult(List.of(new ImagePart(image)), FinishReason.END_OF_SEQUENCE,
                    new Usage(0, 0, 1, options.seed()));
        }

        @Override
        public String caption(RgbImage image, GenerationOptions options) {
            return right ? ShapesJudge.read(image).attributes().caption() : "a picture";
        }

        @Override
        public String answer(RgbImage image, String question, GenerationOptions options) {
            if (!right) {
                return "maybe";
            }
            return ShapesJudge.read(image).attributes().questions().stream()
                    .filter(q -> q.question().equals(question)).findFirst().orElseThrow().answer();
        }

        @Override
        public TextScore scoreText(Document context, String text) {
            return new TextScore(new int[] {1, 2}, new double[] {-0.5, -0.5}, -1.0, Math.exp(0.5));
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

        private static RgbImage white() {
            byte[] rgb = new byte[32 * 32 * 3];
            java.util.Arrays.fill(rgb, (byte) 255);
            return new RgbImage(32, 32, rgb);
        }
    }
}
