package dev.transfusion.datasets.shapes;

import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.Mode;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextScore;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.api.spi.DataSetJudge;
import dev.transfusion.api.spi.Evaluation;
import dev.transfusion.api.spi.Evaluation.Kind;
import dev.transfusion.api.spi.Evaluation.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Judges a model on the held-out shapes-v1 test split: text-to-image (each generated image read by the
 * spec's judge against its caption), captioning, question answering (the four kinds in turn), and the
 * perplexity of the true captions given their images. The figures, in {@code metrics.json} order:
 * {@code n}, {@code text_to_image_all} (all four attributes right), {@code text_to_image_colour},
 * {@code _shape}, {@code _size}, {@code _position}, {@code caption_accuracy} (all four right),
 * {@code answer_accuracy}, {@code caption_perplexity} (exp(-mean log p) of the true captions' tokens given
 * their images).
 */
public final class ShapesEvaluation implements DataSetJudge {

    @Override
    public Evaluation evaluate(TransfusionModel model, int n, GenerationOptions imageOptions, int keepExamples,
                               IntConsumer progress) {
        ShapesDataset test = ShapesDataset.of(ShapesDataset.Split.TEST);
        // a cap, not a budget: greedy captions end at EOS. 48, not 16: a tokenizer trained on shapes and tones
        // texts together spends its merges on both and needs up to ~30 tokens for a shapes caption
        GenerationOptions text = GenerationOptions.builder().maxTokens(48).temperature(0).mode(Mode.TEXT).build();
        int all = 0, colour = 0, shape = 0, size = 0, position = 0, captions = 0, answers = 0, tokens = 0;
        double logProb = 0;
        List<Evaluation.Example> examples = new ArrayList<>(), failures = new ArrayList<>();
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
            ShapeReading read = ShapesJudge.read(drawn);
            Evaluation.Example e = new Evaluation.Example(s.caption(), drawn, s.image(), caption,
                    read == null ? "no shape" : read.attributes().caption(), wrong(v), captionRight, qa.question(),
                    qa.answer(), answer, answerRight);
            if (examples.size() < keepExamples) {
                examples.add(e);
            }
            if (e.failed() && failures.size() < keepExamples) {
                failures.add(e);
            }
            progress.accept(i + 1);
        }
        double d = n;
        List<Metric> metrics = List.of(
                new Metric("n", "held-out samples", Kind.COUNT, n),
                new Metric("text_to_image_all", "text to image: all four attributes", Kind.SHARE, all / d),
                new Metric("text_to_image_colour", "text to image: colour", Kind.SHARE, colour / d),
                new Metric("text_to_image_shape", "text to image: shape", Kind.SHARE, shape / d),
                new Metric("text_to_image_size", "text to image: size", Kind.SHARE, size / d),
                new Metric("text_to_image_position", "text to image: position", Kind.SHARE, position / d),
                new Metric("caption_accuracy", "captions with all four attributes right", Kind.SHARE, captions / d),
                new Metric("answer_accuracy", "questions answered right", Kind.SHARE, answers / d),
                new Metric("caption_perplexity", "caption perplexity", Kind.VALUE,
                        Math.exp(-logProb / Math.max(1, tokens))));
        return new Evaluation("shapes-v1", "One transformer trained from scratch on this machine to draw from "
                + "captions, caption images and answer questions about them. Chance for all four attributes is 0.6%.",
                metrics, examples, failures);
    }

    /** The attributes a verdict finds wrong, by name. */
    private static List<String> wrong(AttributeVerdict v) {
        List<String> out = new ArrayList<>();
        if (!v.colour()) {
            out.add("colour");
        }
        if (!v.kind()) {
            out.add("shape");
        }
        if (!v.size()) {
            out.add("size");
        }
        if (!v.position()) {
            out.add("position");
        }
        return out;
    }
}
