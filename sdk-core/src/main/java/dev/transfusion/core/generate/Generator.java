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
import dev.transfusion.api.TextPart;
import dev.transfusion.api.Usage;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.Tokenizer;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.diffusion.NoiseSchedule;
import dev.transfusion.core.model.TransfusionGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The paper's inference loop: decode text token by token with a KV cache; when the model emits BOI (or
 * the mode forces it), denoise an image span against the cached prefix, decode it to pixels, append the
 * clean image and EOI to the cache, and go back to text until EOS, a stop string, the token limit or the
 * model's position limit (which bounds the KV cache, whatever {@code maxTokens} asks).
 */
public final class Generator {
    /** At most this many images in one answer, so that a model that keeps emitting BOI terminates. */
    static final int MAX_IMAGES = 8;

    private final TransfusionConfig c;
    private final CachedForward forward;
    private final Tokenizer tokenizer;
    private final @Nullable LatentCodec codec;
    private final int latentSide;
    private final ImageDenoiser denoiser;
    private final byte[][] tokenBytes;   // [V][...]: what Utf8Guard checks sampled text against

    /**
     * A generator.
     *
     * @param codec      the image codec, or null for a text-only model
     * @param latentSide the side of a generated image's latent grid (e.g. 8 for 32x32 images at 4x down)
     */
    public Generator(TransfusionGraph graph, Tokenizer tokenizer, @Nullable LatentCodec codec, int latentSide) {
        this.c = graph.config();
        this.forward = new CachedForward(graph);
        this.tokenizer = tokenizer;
        this.codec = codec;
        this.latentSide = latentSide;
        this.denoiser = new ImageDenoiser(forward, c, NoiseSchedule.cosine(c.diffusionSteps()));
        this.tokenBytes = Utf8Guard.table(tokenizer, c.vocab());
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

        PromptPositions context = encode(prompt, cancel);
        int promptLength = context.size();
        CachedForward.Result r = forward.run(context.toStep(0), null);
        KvCache cache = r.cache();
        float[] logits = last(r.logits());

        List<Part> parts = new ArrayList<>();
        List<Integer> textIds = new ArrayList<>();
        String emitted = "";
        int generated = 0, images = 0;
        boolean forceImage = o.mode() == Mode.IMAGE;
        FinishReason finish = FinishReason.MAX_TOKENS;
        while (generated < o.maxTokens()) {
            if (cancel.isCancelled()) {
                finish = FinishReason.CANCELLED;
                break;
            }
            int next;
            int room = positionLimit() - (int) cache.length();   // positions left for what comes next
            if (forceImage) {
                next = sp.boi();
                forceImage = false;
            } else {
                ban(logits, sp.bos(), sp.pad(), sp.eoi());
                if (o.mode() == Mode.TEXT || codec == null || images >= MAX_IMAGES) {
                    ban(logits, sp.boi());
                }
                utf8.ban(logits);
                next = sampler.sample(logits, rng);
                utf8.accept(next);
            }
            if (next != sp.eos() && room < (next == sp.boi() ? patchesPerImage() + 2 : 1)) {
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
            if (next == sp.boi()) {
                flushText(parts, textIds);
                textIds.clear();
                emitted = "";
                final int index = images;
                KvCache uncond = o.guidanceScale() == 1.0 ? null : unconditionalPrefix();
                float[][] clean = denoiser.denoise(cache, uncond, patchesPerImage(), o, rng,
                        (k, steps, t) -> listener.onDiffusionStep(new DiffusionStep(index, k, steps, t, null)),
                        cancel);
                if (clean == null) {
                    finish = FinishReason.CANCELLED;
                    break;
                }
                parts.add(decodeImage(clean));
                images++;
                if (o.mode() == Mode.IMAGE) {
                    finish = FinishReason.END_OF_SEQUENCE;   // IMAGE asks for one image, not what follows it
                    break;
                }
                PromptPositions span = new PromptPositions(c.patchDim());
                span.image(clean, 0, sp.pad());           // the clean image enters the context at t = 0
                span.token(sp.eoi());
                r = forward.run(span.toStep((int) cache.length()), cache);
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
                return result(parts, finish, promptLength, generated, images, seed);
            }
            if (!text.endsWith("\uFFFD")) {              // hold back a character still missing bytes
                listener.onToken(next, text.substring(Math.min(emitted.length(), text.length())));
                emitted = text;
            }
        }
        flushText(parts, textIds);
        return result(parts, finish, promptLength, generated, images, seed);
    }

    private CachedForward.Result feedToken(int id, KvCache cache) {
        PromptPositions one = new PromptPositions(c.patchDim());
        one.token(id);
        return forward.run(one.toStep((int) cache.length()), cache);
    }

    private GenerationResult result(List<Part> parts, FinishReason finish, int prompt, int generated, int images,
                                    long seed) {
        return new GenerationResult(parts, finish, new Usage(prompt, generated, images, seed));
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

    /** The prompt as positions: BOS, then text tokens and clean images between BOI and EOI. */
    PromptPositions encode(Document prompt) {
        return encode(prompt, new Cancellation());
    }

    /**
     * As {@link #encode(Document)}, stopping between parts when {@code cancel} is set. The positions the images
     * take are counted before any is encoded, so that a prompt too long for its images costs no encoding.
     *
     * @throws CancellationException when cancelled
     */
    PromptPositions encode(Document prompt, Cancellation cancel) {
        TransfusionConfig.SpecialTokens sp = c.specialTokens();
        requireTextFits(textLength(prompt));
        long images = prompt.parts().stream().filter(p -> p instanceof ImagePart).count();
        if (1 + images * (patchesPerImage() + 2L) > positionLimit()) {
            throw new InvalidInputException("prompt holds " + images + " images of " + (patchesPerImage() + 2)
                    + " positions each, more than the limit of " + positionLimit() + " positions");
        }
        PromptPositions ctx = new PromptPositions(c.patchDim());
        ctx.token(sp.bos());
        for (Part part : prompt.parts()) {
            if (cancel.isCancelled()) {
                throw new CancellationException("encoding the prompt was cancelled");
            }
            if (part instanceof TextPart t) {
                for (int id : tokenizer.encode(t.text())) {
                    ctx.token(id);
                }
            } else if (part instanceof ImagePart) {
                LatentCodec codec = requireCodec();
                ctx.token(sp.boi());
                ctx.image(codec.geometry().patchify(codec.encode(part)), 0, sp.pad());
                ctx.token(sp.eoi());
            } else {
                throw new InvalidInputException("this model reads text and image parts; got a part of modality '"
                        + part.modality() + "'");
            }
        }
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

    private KvCache unconditionalPrefix() {
        PromptPositions ctx = new PromptPositions(c.patchDim());
        ctx.token(c.specialTokens().bos());
        ctx.token(c.specialTokens().boi());
        return forward.run(ctx.toStep(0), null).cache();
    }

    int patchesPerImage() {
        int g = latentSide / c.patch();
        return g * g;
    }

    private Part decodeImage(float[][] patches) {
        LatentCodec codec = requireCodec();
        return codec.decode(codec.geometry().unpatchify(patches, c.latentChannels(), latentSide, latentSide));
    }

    private LatentCodec requireCodec() {
        if (codec == null) {
            throw new InvalidInputException("this model has no image codec, so it cannot read or draw images");
        }
        return codec;
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
