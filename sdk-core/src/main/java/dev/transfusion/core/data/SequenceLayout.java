package dev.transfusion.core.data;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.Tokenizer;
import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * The one home of the sequence layout: where BOS and EOS go, and that a span of a continuous modality m sits
 * between m's begin and end tokens, {@code [BOS, text.., begin_m] span [end_m, text.., EOS]}. Training documents,
 * caption pairs, questions, prompts, captioning and the unconditional prefix of guidance are all made here, from
 * the model's configuration (its modalities' token ids). Immutable.
 */
public final class SequenceLayout {
    private final TransfusionConfig c;
    private final TransfusionConfig.SpecialTokens special;

    /** The layout of a model of configuration {@code c}. */
    public SequenceLayout(TransfusionConfig c) {
        this.c = c;
        this.special = c.specialTokens();
    }

    /**
     * A document as the model reads it: text through the tokenizer, each continuous part through its modality's
     * codec between that modality's begin and end tokens; between BOS and, when {@code closed}, EOS (a training
     * document is closed, a prompt is continued). Stops between parts once {@code cancel} is set.
     *
     * @throws InvalidInputException for a part of a modality the model does not have, or without a codec
     * @throws CancellationException when cancelled
     */
    public EncodedDocument document(Document doc, Tokenizer tokenizer, Map<String, LatentCodec> codecs, boolean closed,
                                    Cancellation cancel) {
        List<EncodedDocument.Segment> out = new ArrayList<>();
        IdRun run = new IdRun();
        run.add(special.bos());
        for (Part part : doc.parts()) {
            if (cancel.isCancelled()) {
                throw new CancellationException("encoding the document was cancelled");
            }
            if (part instanceof TextPart t) {
                run.add(tokenizer.encode(t.text()));
                continue;
            }
            ModalityConfig m = c.modality(part.modality());
            LatentCodec codec = codecs.get(m.name());
            if (codec == null) {
                throw new InvalidInputException("document has a '" + m.name() + "' part but no " + m.name()
                        + " codec was given");
            }
            run.add(m.beginToken());
            out.add(EncodedDocument.tokens(run.take()));
            out.add(EncodedDocument.span(m.name(), codec.encode(part), 0));
            run.add(m.endToken());
        }
        if (closed) {
            run.add(special.eos());
        }
        if (run.size() > 0) {
            out.add(EncodedDocument.tokens(run.take()));
        }
        return new EncodedDocument(out);
    }

    /** How a caption pair is laid out. */
    public enum PairLayout {
        /** {@code [BOS, caption.., begin] span [end, EOS]}: learns text-to-span. */
        CAPTION_FIRST,
        /** {@code [BOS, begin] span [end, caption.., EOS]}: learns captioning; the span gets t &lt; imageFirstTMax. */
        SPAN_FIRST,
        /** {@code [BOS, begin] span [end, EOS]}: the unconditional branch of classifier-free guidance. */
        UNCONDITIONAL
    }

    /**
     * A caption and its latent in a layout.
     *
     * @param caption the caption's token ids, without special tokens
     */
    public EncodedDocument pair(int[] caption, String modality, Latent latent, PairLayout layout) {
        ModalityConfig m = c.modality(modality);
        int bos = special.bos(), eos = special.eos(), begin = m.beginToken(), end = m.endToken();
        return switch (layout) {
            case CAPTION_FIRST -> EncodedDocument.of(
                    EncodedDocument.tokens(concat(new int[] {bos}, caption, new int[] {begin})),
                    EncodedDocument.span(modality, latent, 0),
                    EncodedDocument.tokens(end, eos));
            case SPAN_FIRST -> EncodedDocument.of(
                    EncodedDocument.tokens(bos, begin),
                    EncodedDocument.span(modality, latent, c.imageFirstTMax()),
                    EncodedDocument.tokens(concat(new int[] {end}, caption, new int[] {eos})));
            case UNCONDITIONAL -> EncodedDocument.of(
                    EncodedDocument.tokens(bos, begin),
                    EncodedDocument.span(modality, latent, 0),
                    EncodedDocument.tokens(end, eos));
        };
    }

    /**
     * A question about a latent and its answer, {@code [BOS, begin] span [end, question.., answer.., EOS]}; the
     * span is noised lightly (t &lt; imageFirstTMax), like a caption that follows its span.
     */
    public EncodedDocument question(String modality, Latent latent, int[] question, int[] answer) {
        ModalityConfig m = c.modality(modality);
        return EncodedDocument.of(EncodedDocument.tokens(special.bos(), m.beginToken()),
                EncodedDocument.span(modality, latent, c.imageFirstTMax()),
                EncodedDocument.tokens(concat(new int[] {m.endToken()}, concat(question, answer, new int[0]),
                        new int[] {special.eos()})));
    }

    /** The prefix the unconditional prediction of guidance runs after: {@code [BOS, begin_m]}. */
    public int[] unconditionalPrefix(String modality) {
        return new int[] {special.bos(), c.modality(modality).beginToken()};
    }

    /** The modality whose spans {@code token} opens, or null. */
    public ModalityConfig openedBy(int token) {
        int k = c.modalityOpenedBy(token);
        return k < 0 ? null : c.modalities().get(k);
    }

    /** Whether {@code token} closes some modality's span. */
    public boolean isEnd(int token) {
        return c.modalities().stream().anyMatch(m -> m.endToken() == token);
    }

    private static int[] concat(int[] a, int[] b, int[] d) {
        int[] out = Arrays.copyOf(a, a.length + b.length + d.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(d, 0, out, a.length + b.length, d.length);
        return out;
    }

    /** A growing run of token ids. */
    private static final class IdRun {
        private int[] ids = new int[16];
        private int n;

        void add(int id) {
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, 2 * n);
            }
            ids[n++] = id;
        }

        void add(int[] more) {
            for (int id : more) {
                add(id);
            }
        }

        int size() {
            return n;
        }

        int[] take() {
            int[] r = Arrays.copyOf(ids, n);
            n = 0;
            return r;
        }
    }
}
