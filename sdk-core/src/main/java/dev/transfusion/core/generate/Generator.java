package dev.transfusion.core.generate;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.Document;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Mode;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.Usage;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.Tokenizer;
import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.SequenceLayout;
import dev.transfusion.core.diffusion.NoiseSchedule;
import dev.transfusion.core.model.TransfusionGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The paper's inference loop: decode text token by token with a KV cache; when the model emits the begin token
 * of a continuous modality (or the mode forces it), denoise a span of that modality (its latent shape, its codec)
 * against the cached prefix, decode it to a part, append the clean span and the modality's end token to the
 * cache, and go back to text until EOS, a stop string, the token limit or the model's position limit (which
 * bounds the KV cache, whatever {@code maxTokens} asks).
 */
public final class Generator {
    /** At most this many spans in one answer, so that a model that keeps emitting begin tokens terminates. */
    static final int MAX_IMAGES = 8;

    private final TransfusionConfig c;
    private final CachedForward forward;
    private final Tokenizer tokenizer;
    private final Map<String, LatentCodec> codecs;
    private final SequenceLayout layout;
    private final SpanDenoiser denoiser;
    private final byte[][] tokenBytes;   // [V][...]: what Utf8Guard checks sampled text against

    /**
     * A generator over the modalities of the graph's configuration, each of which must record its latent size.
     *
     * @param codecs each continuous modality's codec by name; a modality without one is never drawn or read
     */
    public Generator(TransfusionGraph graph, Tokenizer tokenizer, Map<String, LatentCodec> codecs) {
        this(new CachedForward(graph), graph.config(), tokenizer, codecs);
    }

    /** As {@link #Generator(TransfusionGraph, Tokenizer, Map)}, its forward steps shared with other callers in {@code batch}. */
    public Generator(BatchScheduler batch, Tokenizer tokenizer, Map<String, LatentCodec> codecs) {
        this(new CachedForward(batch), batch.graph().config(), tokenizer, codecs);
    }

    Generator(CachedForward forward, TransfusionConfig c, Tokenizer tokenizer, Map<String, LatentCodec> codecs) {
        this.c = c;
        this.forward = forward;
        this.tokenizer = tokenizer;
        this.codecs = Map.copyOf(codecs);
        this.layout = new SequenceLayout(c);
        this.denoiser = new SpanDenoiser(forward, c, NoiseSchedule.cosine(c.diffusionSteps()));
        this.tokenBytes = Utf8Guard.table(tokenizer, c.vocab());
        codecs.keySet().forEach(c::modality);   // each codec's modality is the model's
    }

    /** Whether spans of {@code m} can be drawn: a codec to decode them and a latent size to draw them at. */
    private boolean drawable(ModalityConfig m) {
        return codecs.containsKey(m.name()) && m.hasLatentSize();
    }

    /**
     * A generator for a model of one image modality (a version-1 configuration).
     *
     * @param codec      the image codec, or null for a text-only model
     * @param latentSide the side of a generated image's latent grid (e.g. 8 for 32x32 images at 4x down)
     */
    public Generator(TransfusionGraph graph, Tokenizer tokenizer, @Nullable LatentCodec codec, int latentSide) {
        this(new CachedForward(graph), codec == null || latentSide <= 0 ? graph.config()
                        : graph.config().withLatentSize(ImagePart.MODALITY, latentSide, latentSide), tokenizer,
                codec == null ? Map.of() : Map.of(ImagePart.MODALITY, codec));
    }

    /** Continues {@code prompt} with no listener. */
    public GenerationResult generate(Document prompt, GenerationOptions o) {
        return generate(prompt, o, GenerationListener.NONE, new Cancellation());
    }

    /** Continues {@code prompt} as {@code o} says, streaming to {@code listener}. */
    public GenerationResult generate(Document prompt, GenerationOptions o, GenerationListener listener,
                                     Cancellation cancel) {
        long seed = o.seed() != null ? o.seed() : new SplittableRandom().nextLong();
        RandomGenerator rng = new SplittableRandom(seed);
        TransfusionConfig.SpecialTokens sp = c.specialTokens();
        TokenSampler sampler = TokenSampler.of(o.temperature(), o.topK(), o.topP());
        Utf8Guard utf8 = new Utf8Guard(tokenBytes);
        int forced = o.mode() == Mode.IMAGE ? forcedModality(o) : -1;

        PromptPositions context = encode(prompt, cancel);
        int promptLength = context.size();
        CachedForward.Result r = forward.run(context.toRows(0), null);
        KvCache cache = r.cache();
        float[] logits = last(r.logits());

        List<Part> parts = new ArrayList<>();
        List<Integer> textIds = new ArrayList<>();
        String emitted = "";
        int generated = 0, spans = 0;
        boolean force = forced >= 0;
        FinishReason finish = FinishReason.MAX_TOKENS;
        while (generated < o.maxTokens()) {
            if (cancel.isCancelled()) {
                finish = FinishReason.CANCELLED;
                break;
            }
            int next;
            int room = positionLimit() - (int) cache.length();   // positions left for what comes next
            if (force) {
                next = c.modalities().get(forced).beginToken();
                force = false;
            } else {
                ban(logits, sp.bos(), sp.pad());
                for (ModalityConfig m : c.modalities()) {
                    ban(logits, m.endToken());
                    if (o.mode() == Mode.TEXT || !drawable(m) || spans >= MAX_IMAGES) {
                        ban(logits, m.beginToken());
                    }
                }
                utf8.ban(logits);
                next = sampler.sample(logits, rng);
                utf8.accept(next);
            }
            int kind = c.modalityOpenedBy(next);
            if (next != sp.eos() && room < (kind >= 0 ? c.modalities().get(kind).patches() + 2 : 1)) {
                finish = FinishReason.MAX_LENGTH;                  // the model reads no further than its limit
                break;
            }
            generated++;
            if (next == sp.eos()) {
                finish = FinishReason.END_OF_SEQUENCE;
                break;
            }
            r = feedToken(next, cache);
            cache = r.cache();
            logits = last(r.logits());
            if (kind >= 0) {
                ModalityConfig m = c.modalities().get(kind);
                flushText(parts, textIds);
                textIds.clear();
                emitted = "";
                final int index = spans;
                KvCache uncond = o.guidanceScale() == 1.0 ? null : unconditionalPrefix(m);
                float[][] clean = denoiser.denoise(cache, uncond, kind, o, rng, progress(listener, o, m, index), cancel);
                if (clean == null) {
                    finish = FinishReason.CANCELLED;
                    break;
                }
                Part drawn = decodeSpan(m, clean);
                parts.add(drawn);
                listener.onPart(index, drawn);   // at once: a client shows it, and the text after it streams in place
                spans++;
                if (o.mode() == Mode.IMAGE) {
                    finish = FinishReason.END_OF_SEQUENCE;   // IMAGE asks for one span, not what follows it
                    break;
                }
                PromptPositions span = new PromptPositions(c);
                span.span(kind, clean, 0, sp.pad());       // the clean span enters the context at t = 0
                span.token(m.endToken());
                r = forward.run(span.toRows((int) cache.length()), cache);
                cache = r.cache();
                logits = last(r.logits());
                continue;
            }
            textIds.add(next);
            String text = tokenizer.decode(textIds.stream().mapToInt(Integer::intValue).toArray());
            String stop = firstStop(text, o.stop());
            if (stop != null) {
                String kept = text.substring(0, text.indexOf(stop));
                if (kept.length() > emitted.length()) {
                    listener.onToken(next, kept.substring(emitted.length()));
                }
                parts.add(new TextPart(kept));
                textIds.clear();
                emitted = kept;
                finish = FinishReason.STOP_STRING;
                return result(parts, finish, promptLength, generated, spans, seed);
            }
            if (!text.endsWith("\uFFFD")) {              // hold back a character still missing bytes
                listener.onToken(next, text.substring(Math.min(emitted.length(), text.length())));
                emitted = text;
            }
        }
        flushText(parts, textIds);
        return result(parts, finish, promptLength, generated, spans, seed);
    }

    /**
     * The modality {@link Mode#IMAGE} draws: the options' {@code modality}, else images, else the model's only
     * continuous modality; the error names the ones it can draw.
     */
    int forcedModality(GenerationOptions o) {
        String name = o.modality();
        if (name == null) {
            if (c.hasModality(ImagePart.MODALITY) && codecs.containsKey(ImagePart.MODALITY)) {
                name = ImagePart.MODALITY;
            } else if (codecs.size() == 1) {
                name = codecs.keySet().iterator().next();
            } else {
                throw new InvalidInputException(codecs.isEmpty()
                        ? "this model has no codec for a continuous modality, so it cannot draw one"
                        : "say which modality to draw (GenerationOptions.modality): one of " + new TreeSet<>(codecs.keySet()));
            }
        }
        if (!codecs.containsKey(name)) {
            throw new InvalidInputException("cannot draw '" + name + "': this model draws "
                    + (codecs.isEmpty() ? "no continuous modality" : new TreeSet<>(codecs.keySet()).toString()));
        }
        int k = c.modalityIndex(name);
        if (!c.modalities().get(k).hasLatentSize()) {
            throw new InvalidInputException("cannot draw '" + name + "': the model records no latent size for it");
        }
        return k;
    }

    private CachedForward.Result feedToken(int id, KvCache cache) {
        PromptPositions one = new PromptPositions(c);
        one.token(id);
        return forward.run(one.toRows((int) cache.length()), cache);
    }

    private GenerationResult result(List<Part> parts, FinishReason finish, int prompt, int generated, int spans,
                                    long seed) {
        return new GenerationResult(parts, finish, new Usage(prompt, generated, spans, seed));
    }

    private void flushText(List<Part> parts, List<Integer> ids) {
        if (!ids.isEmpty()) {
            parts.add(new TextPart(tokenizer.decode(ids.stream().mapToInt(Integer::intValue).toArray())));
        }
    }

    private static @Nullable String firstStop(String text, List<String> stops) {
        for (String s : stops) {
            if (text.contains(s)) {
                return s;
            }
        }
        return null;
    }

    /** The prompt as positions: BOS, then text tokens and clean spans between their begin and end tokens. */
    PromptPositions encode(Document prompt) {
        return encode(prompt, new Cancellation());
    }

    /**
     * As {@link #encode(Document)}, stopping between parts when {@code cancel} is set. The positions the spans
     * take are counted before any is encoded, so that a prompt too long for its spans costs no encoding.
     *
     * @throws CancellationException when cancelled
     */
    PromptPositions encode(Document prompt, Cancellation cancel) {
        requireTextFits(textLength(prompt));
        long positions = 1;
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (Part part : prompt.parts()) {
            if (part instanceof TextPart) {
                continue;
            }
            String name = part.modality();
            if (!codecs.containsKey(name)) {
                throw new InvalidInputException(c.hasModality(name)
                        ? "this model has no " + name + " codec, so it cannot read '" + name + "' parts"
                        : "this model reads text" + (codecs.isEmpty() ? "" : " and " + new TreeSet<>(codecs.keySet()))
                        + " parts; got a part of modality '" + name + "'");
            }
            ModalityConfig m = c.modality(name);
            positions += (m.hasLatentSize() ? m.patches() : 0) + 2L;
            counts.merge(name, 1, Integer::sum);
        }
        if (positions > positionLimit()) {
            StringBuilder what = new StringBuilder();
            counts.forEach((name, n) -> {
                ModalityConfig m = c.modality(name);
                what.append(what.length() == 0 ? "" : " and ").append(n).append(" ")
                        .append(name.equals(ImagePart.MODALITY) ? "image" : name + " part").append(n == 1 ? "" : "s")
                        .append(" of ").append((m.hasLatentSize() ? m.patches() : 0) + 2).append(" positions each");
            });
            throw new InvalidInputException("prompt holds " + what + ", more than the limit of " + positionLimit()
                    + " positions");
        }
        PromptPositions ctx = PromptPositions.of(layout.document(prompt, tokenizer, codecs, false, cancel), c);
        requirePositions(ctx.size(), "prompt");
        return ctx;
    }

    /**
     * The most positions a prompt (with what is scored after it) may take: the sequence length the model was
     * trained on (its RoPE positions and attention patterns beyond it were never seen, and ModelInfo reports
     * this number as the limit).
     */
    int positionLimit() {
        return c.maxLength();
    }

    /**
     * Refuses text that cannot fit before it is encoded: a character is at least one UTF-8 byte and a token
     * stands for at most {@code maxTokenBytes} of them, so an over-long text costs no tokenizing.
     */
    void requireTextFits(long chars) {
        if (chars > (long) positionLimit() * tokenizer.maxTokenBytes()) {
            throw new InvalidInputException("prompt text has " + chars + " characters, more than the "
                    + positionLimit() + " positions the model reads can hold (a token stands for at most "
                    + tokenizer.maxTokenBytes() + " bytes)");
        }
    }

    /** Refuses {@code positions} over the limit, naming {@code what} takes them. */
    void requirePositions(int positions, String what) {
        if (positions > positionLimit()) {
            throw new InvalidInputException(what + " takes " + positions + " positions; the limit is " + positionLimit());
        }
    }

    static long textLength(Document d) {
        long chars = 0;
        for (Part part : d.parts()) {
            chars += part instanceof TextPart t ? t.text().length() : 0;
        }
        return chars;
    }

    private KvCache unconditionalPrefix(ModalityConfig m) {
        PromptPositions ctx = new PromptPositions(c);
        for (int id : layout.unconditionalPrefix(m.name())) {
            ctx.token(id);
        }
        return forward.run(ctx.toRows(0), null).cache();
    }

    /**
     * Each denoising step to the listener; every {@code previewEvery} steps of an image with the current estimate of
     * the clean image decoded (the cost of one decode each).
     */
    private SpanDenoiser.Progress progress(GenerationListener listener, GenerationOptions o, ModalityConfig m, int index) {
        int every = o.previewEvery();
        return new SpanDenoiser.Progress() {
            @Override
            public void step(int done, int total, int t) {
                listener.onDiffusionStep(new DiffusionStep(index, done, total, t, null, m.name()));
            }

            @Override
            public void step(int done, int total, int t, java.util.function.Supplier<float[][]> clean) {
                RgbImage preview = null;
                if (every > 0 && (done % every == 0 || done == total) && m.name().equals(ImagePart.MODALITY)) {
                    preview = ((ImagePart) decodeSpan(m, clean.get())).image();
                }
                listener.onDiffusionStep(new DiffusionStep(index, done, total, t, preview, m.name()));
            }
        };
    }

    private Part decodeSpan(ModalityConfig m, float[][] patches) {
        return codecs.get(m.name()).decode(m.geometry().unpatchify(patches, m.channels(), m.height(), m.width()));
    }

    /** The codec of a modality, for scoring; the error names the model's. */
    LatentCodec codec(String modality) {
        LatentCodec codec = codecs.get(modality);
        if (codec == null) {
            throw new InvalidInputException("this model has no " + modality + " codec, so it cannot read or draw '"
                    + modality + "'");
        }
        return codec;
    }

    /** The model's configuration. */
    TransfusionConfig config() {
        return c;
    }

    private float[] last(float[] logits) {
        int v = c.vocab();
        float[] out = new float[v];
        System.arraycopy(logits, logits.length - v, out, 0, v);
        return out;
    }

    private static void ban(float[] logits, int... ids) {
        for (int id : ids) {
            if (id >= 0 && id < logits.length) {
                logits[id] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
