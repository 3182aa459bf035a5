package dev.transfusion.core.shapes;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.Mode;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextScore;
import dev.transfusion.api.TransfusionModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Judges a model on the held-out shapes-v1 test split: text-to-image (each generated image read by the
 * spec's judge against its caption), captioning, question answering (the four kinds in turn), and the
 * perplexity of the true captions given their images.
 */
public final class ShapesEvaluation {

    /**
     * The figures, as written to {@code metrics.json}.
     *
     * @param n                 test samples
     * @param textToImage       share of generated images with all four attributes right
     * @param textToImageColour share right in colour (likewise shape, size, position)
     * @param textToImageShape  share right in shape
     * @param textToImageSize   share right in size
     * @param textToImagePosition share right in position
     * @param captions          share of captions with all four attributes right
     * @param answers           share of correct answers
     * @param captionPerplexity exp(-mean log p) of the true captions' tokens given their images
     */
    public record Metrics(@JsonProperty("n") int n,
                          @JsonProperty("text_to_image_all") double textToImage,
                          @JsonProperty("text_to_image_colour") double textToImageColour,
                          @JsonProperty("text_to_image_shape") double textToImageShape,
                          @JsonProperty("text_to_image_size") double textToImageSize,
                          @JsonProperty("text_to_image_position") double textToImagePosition,
                          @JsonProperty("caption_accuracy") double captions,
                          @JsonProperty("answer_accuracy") double answers,
                          @JsonProperty("caption_perplexity") double captionPerplexity) {
    }

    /**
     * Generated and read examples for the report.
     *
     * @param prompt    a test caption
     * @param generated the image drawn for it
     * @param truth     the test image
     * @param caption   the caption the model wrote for {@code truth}
     * @param drawn     the judge's verdict on {@code generated}, attribute by attribute
     * @param captionRight whether {@code caption} names all four attributes right
     * @param question  the question asked about {@code truth} and its right answer
     * @param answer    the model's answer
     * @param answerRight whether {@code answer} is right
     */
    public record Example(String prompt, RgbImage generated, RgbImage truth, String caption, AttributeVerdict drawn,
                          boolean captionRight, QuestionAnswer question, String answer, boolean answerRight) {
        /** Whether any of the three tasks went wrong on this sample. */
        public boolean failed() {
            return !drawn.all() || !captionRight || !answerRight;
        }
    }

    /**
     * Everything an evaluation produced.
     *
     * @param metrics  the figures
     * @param examples the first few samples, for the picture
     * @param failures the first few samples where a task went wrong, for the report
     */
    public record Result(Metrics metrics, List<Example> examples, List<Example> failures) {
    }

    private ShapesEvaluation() {
    }

    /**
     * Evaluates {@code model} on the first {@code n} test samples.
     *
     * @param imageOptions options for drawing (sampler, steps, guidance); the seed is set per sample
     * @param progress     called with the number of samples done
     */
    public static Result run(TransfusionModel model, int n, GenerationOptions imageOptions, int keepExamples,
                             IntConsumer progress) {
        ShapesDataset test = ShapesDataset.of(ShapesDataset.Split.TEST);
        GenerationOptions text = GenerationOptions.builder().maxTokens(16).temperature(0).mode(Mode.TEXT).build();
        int all = 0, colour = 0, shape = 0, size = 0, position = 0, captions = 0, answers = 0, tokens = 0;
        double logProb = 0;
        List<Example> examples = new ArrayList<>(), failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ShapeSample s = test.sample(i);
            RgbImage drawn = model.generate(Document.text(s.caption()),
                    imageOptions.toBuilder().mode(Mode.IMAGE).maxTokens(1).seed((long) i).build()).images().get(0);
            AttributeVerdict v = ShapesJudge.judgeImage(drawn, s.attributes());
            all += v.all() ? 1 : 0;
            colour += v.colour() ? 1 : 0;
            shape += v.kind() ? 1 : 0;
            size += v.size() ? 1 : 0;
            position += v.position() ? 1 : 0;
            String caption = model.caption(s.image(), text);
            boolean captionRight = ShapesJudge.judgeCaption(caption, s.attributes()).all();
            captions += captionRight ? 1 : 0;
            QuestionAnswer qa = s.attributes().questions().get(i % 4);
            String answer = model.answer(s.image(), qa.question(), text);
            boolean answerRight = ShapesJudge.judgeAnswer(answer, qa.answer());
            answers += answerRight ? 1 : 0;
            TextScore score = model.scoreText(Document.of(new ImagePart(s.image())), s.caption());
            logProb += score.total();
            tokens += score.tokenIds().length;
            Example e = new Example(s.caption(), drawn, s.image(), caption, v, captionRight, qa, answer, answerRight);
            if (examples.size() < keepExamples) {
                examples.add(e);
            }
            if (e.failed() && failures.size() < keepExamples) {
                failures.add(e);
            }
            progress.accept(i + 1);
        }
        double d = n;
        return new Result(new Metrics(n, all / d, colour / d, shape / d, size / d, position / d, captions / d,
                answers / d, Math.exp(-logProb / Math.max(1, tokens))), examples, failures);
    }
}
