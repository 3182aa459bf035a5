package dev.transfusion.plugins.audio.tones;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.Mode;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.api.spi.DataSetJudge;
import dev.transfusion.api.spi.Evaluation;
import dev.transfusion.api.spi.Evaluation.Kind;
import dev.transfusion.api.spi.Evaluation.Metric;
import dev.transfusion.plugins.audio.AudioClip;
import dev.transfusion.plugins.audio.LatentPicture;
import dev.transfusion.plugins.audio.LogMelCodec;
import dev.transfusion.plugins.audio.LogMelGrid;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Judges a model on the held-out tones-v1 test split by the spec's rules: text-to-audio (the clip drawn for
 * each caption, {@link Mode#IMAGE} of modality {@code "audio"}, read by {@link TonesJudge} in all five
 * attributes), audio captioning (all five attributes of the caption right) and question answering (the five
 * questions in turn). The figures, in {@code metrics.json} order: {@code n}, {@code text_to_audio_all},
 * {@code text_to_audio_pitch}, {@code _contour}, {@code _rhythm}, {@code _timbre}, {@code _loudness},
 * {@code caption_accuracy}, {@code answer_accuracy}. A report's samples show each clip as its log-mel
 * spectrogram ({@link LatentPicture}), drawn above true.
 */
public final class TonesEvaluation implements DataSetJudge {
    /** Tokens a caption or an answer may take: a caption is 8 words, about 12 tokens of a small BPE. */
    static final int TEXT_TOKENS = 24;

    @Override
    public Evaluation evaluate(TransfusionModel model, int n, GenerationOptions imageOptions, int keepExamples,
                               IntConsumer progress) {
        TonesDataset test = TonesDataset.of(TonesDataset.Split.TEST);
        GenerationOptions text = GenerationOptions.builder().maxTokens(TEXT_TOKENS).temperature(0).mode(Mode.TEXT)
                .build();
        Cancellation never = new Cancellation();
        LogMelCodec pictures = new LogMelCodec(LogMelGrid.FINE);   // a clip drawn at the finest grid, whatever the model's
        ToneTally drawnTally = new ToneTally();
        int captions = 0, answers = 0;
        List<Evaluation.Example> examples = new ArrayList<>(), failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ToneSample s = test.sample(i);
            Part truth = s.clip().toPart();
            AudioClip drawn = draw(model, s.caption(), imageOptions.toBuilder().mode(Mode.IMAGE)
                    .modality(AudioClip.MODALITY).maxTokens(1).seed((long) i).build());
            ToneReading read = TonesJudge.read(drawn);
            ToneVerdict v = ToneVerdict.compare(read, s.attributes());
            drawnTally.add(v);
            String caption = model.caption(truth, text, never);
            boolean captionRight = TonesJudge.judgeCaption(caption, s.attributes()).all();
            captions += captionRight ? 1 : 0;
            ToneQuestion qa = s.questions().get(i % ToneQuestion.QUESTIONS.size());
            String answer = model.answer(truth, qa.question(), text, never);
            boolean answerRight = TonesJudge.judgeAnswer(answer, qa.answer());
            answers += answerRight ? 1 : 0;
            boolean failed = !v.all() || !captionRight || !answerRight;
            if (examples.size() < keepExamples || failed && failures.size() < keepExamples) {
                // pictures only for the samples kept: an encode each
                Evaluation.Example e = new Evaluation.Example(s.caption(), picture(pictures, drawn),
                        picture(pictures, s.clip()), caption, words(read), wrong(v), captionRight, qa.question(),
                        qa.answer(), answer, answerRight);
                if (examples.size() < keepExamples) {
                    examples.add(e);
                }
                if (failed && failures.size() < keepExamples) {
                    failures.add(e);
                }
            }
            progress.accept(i + 1);
        }
        double d = Math.max(1, n);
        List<Metric> metrics = List.of(
                new Metric("n", "held-out samples", Kind.COUNT, n),
                new Metric("text_to_audio_all", "text to audio: all five attributes", Kind.SHARE, drawnTally.all()),
                new Metric("text_to_audio_pitch", "text to audio: pitch", Kind.SHARE, drawnTally.pitch()),
                new Metric("text_to_audio_contour", "text to audio: contour", Kind.SHARE, drawnTally.contour()),
                new Metric("text_to_audio_rhythm", "text to audio: rhythm", Kind.SHARE, drawnTally.rhythm()),
                new Metric("text_to_audio_timbre", "text to audio: timbre", Kind.SHARE, drawnTally.timbre()),
                new Metric("text_to_audio_loudness", "text to audio: loudness", Kind.SHARE, drawnTally.loudness()),
                new Metric("caption_accuracy", "audio captions with all five attributes right", Kind.SHARE,
                        captions / d),
                new Metric("answer_accuracy", "questions about clips answered right", Kind.SHARE, answers / d));
        return new Evaluation("tones-v1", "One transformer trained from scratch on this machine to sound out "
                + "captions, caption clips and answer questions about them. Chance for all five attributes is 1.4%.",
                metrics, examples, failures);
    }

    /** The clip the model draws for a caption; a model that draws none is an error, not a wrong clip. */
    private static AudioClip draw(TransfusionModel model, String caption, GenerationOptions options) {
        GenerationResult r = model.generate(Document.text(caption), options);
        List<Part> audio = r.parts(AudioClip.MODALITY);
        if (audio.isEmpty()) {
            throw new IllegalStateException("the model drew no '" + AudioClip.MODALITY + "' part for the caption '"
                    + caption + "' (it gave " + r.parts().stream().map(Part::modality).toList()
                    + ", finish " + r.finishReason() + ")");
        }
        return AudioClip.of(audio.get(0));
    }

    private static RgbImage picture(LogMelCodec codec, AudioClip clip) {
        return LatentPicture.picture(codec.encode(clip), 1);
    }

    /** What the judge heard, in the caption's words; attributes it could not read are "?". */
    static String words(ToneReading r) {
        return "a " + r.loudness().word() + " " + (r.timbre() == null ? "?" : r.timbre().word()) + " "
                + (r.pitch() == null ? "?" : r.pitch().word()) + " tone, "
                + (r.contour() == null ? "?" : r.contour().word()) + ", " + r.rhythm().words();
    }

    /** The attributes a verdict finds wrong, by name. */
    private static List<String> wrong(ToneVerdict v) {
        List<String> out = new ArrayList<>();
        if (!v.pitch()) {
            out.add("pitch");
        }
        if (!v.contour()) {
            out.add("contour");
        }
        if (!v.rhythm()) {
            out.add("rhythm");
        }
        if (!v.timbre()) {
            out.add("timbre");
        }
        if (!v.loudness()) {
            out.add("loudness");
        }
        return out;
    }
}
