package dev.transfusion.core.generate;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.ImageScore;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.TextScore;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.Tokenizer;
import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.diffusion.NoiseSchedule;
import dev.transfusion.core.model.TransfusionGraph;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * Evaluation scores from one forward pass each: the per-token log-likelihood of a text after a context,
 * and the noise-prediction loss of an image after its caption at fixed diffusion steps.
 */
public final class Scorer {
    /** Most timesteps one image score may ask for: each is a forward pass over the image span. */
    public static final int MAX_TIMESTEPS = 64;

    private final TransfusionConfig c;
    private final CachedForward forward;
    private final Tokenizer tokenizer;
    private final Generator prompts;
    private final NoiseSchedule schedule;

    /** A scorer over {@code graph} for a model without images in its prompts' position count. */
    public Scorer(TransfusionGraph graph, Tokenizer tokenizer, @Nullable LatentCodec codec) {
        this(graph, tokenizer, codec, 0);
    }

    /**
     * A scorer over {@code graph}.
     *
     * @param latentSide the side of an image's latent grid, to count the positions a context's images take
     */
    public Scorer(TransfusionGraph graph, Tokenizer tokenizer, @Nullable LatentCodec codec, int latentSide) {
        this(graph, tokenizer, new Generator(graph, tokenizer, codec, latentSide));
    }

    /** A scorer over {@code graph} with each continuous modality's codec by name. */
    public Scorer(TransfusionGraph graph, Tokenizer tokenizer, Map<String, LatentCodec> codecs) {
        this(graph, tokenizer, new Generator(graph, tokenizer, codecs));
    }

    private Scorer(TransfusionGraph graph, Tokenizer tokenizer, Generator prompts) {
        this.c = prompts.config();
        this.forward = new CachedForward(graph);
        this.tokenizer = tokenizer;
        this.prompts = prompts;
        this.schedule = NoiseSchedule.cosine(c.diffusionSteps());
    }

    /** log p(text | context), token by token. */
    public TextScore text(Document context, String text) {
        return text(context, text, new Cancellation());
    }

    /** As {@link #text(Document, String)}, stopping while the context is encoded when {@code cancel} is set. */
    public TextScore text(Document context, String text, Cancellation cancel) {
        // the same limits as a prompt, for context and text together
        prompts.requireTextFits(Generator.textLength(context) + text.length());
        int[] ids = tokenizer.encode(text);
        if (ids.length == 0) {
            throw new InvalidInputException("scoreText: the text to score is empty");
        }
        PromptPositions ctx = prompts.encode(context, cancel);
        int start = ctx.size();
        prompts.requirePositions(start + ids.length, "scoreText: the context with the text");
        for (int id : ids) {
            ctx.token(id);
        }
        float[] logits = forward.run(ctx.toRows(0), null).logits();   // [S, V]
        int v = c.vocab();
        double[] lp = new double[ids.length];
        double total = 0;
        for (int k = 0; k < ids.length; k++) {
            int row = (start + k - 1) * v;                             // the position before token k predicts it
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) {
                max = Math.max(max, logits[row + j]);
            }
            double sum = 0;
            for (int j = 0; j < v; j++) {
                sum += Math.exp(logits[row + j] - max);
            }
            lp[k] = logits[row + ids[k]] - max - Math.log(sum);
            total += lp[k];
        }
        return new TextScore(ids, lp, total, Math.exp(-total / ids.length));
    }

    /** The DDPM loss of {@code image} after {@code [BOS, caption, BOI]} at each step in {@code timesteps}. */
    public ImageScore image(String caption, RgbImage image, int[] timesteps, long seed) {
        return image(caption, image, timesteps, seed, new Cancellation());
    }

    /**
     * As {@link #image(String, RgbImage, int[], long)}, stopping between timesteps when {@code cancel} is set.
     *
     * @throws CancellationException when cancelled
     */
    public ImageScore image(String caption, RgbImage image, int[] timesteps, long seed, Cancellation cancel) {
        if (!c.hasModality(ImagePart.MODALITY)) {
            throw new InvalidInputException("scoreImage: this model has no image codec");
        }
        LatentCodec codec = prompts.codec(ImagePart.MODALITY);
        ModalityConfig m = c.modality(ImagePart.MODALITY);
        int kind = c.modalityIndex(ImagePart.MODALITY), wide = c.patchDim();
        if (timesteps.length == 0) {
            throw new InvalidInputException("scoreImage: give at least one timestep");
        }
        if (timesteps.length > MAX_TIMESTEPS) {
            throw new InvalidInputException("scoreImage: " + timesteps.length + " timesteps, more than the "
                    + MAX_TIMESTEPS + " one score may take");
        }
        for (int t : timesteps) {   // all checked before any work
            if (t < 0 || t >= schedule.steps()) {
                throw new InvalidInputException("scoreImage: timestep " + t + " outside 0.." + (schedule.steps() - 1));
            }
        }
        float[][] x0 = m.geometry().patchify(codec.encode(new ImagePart(image)));
        PromptPositions prefix = prompts.encode(Document.of(new TextPart(caption)), cancel);
        prefix.token(m.beginToken());
        KvCache cache = forward.run(prefix.toRows(0), null).cache();
        SplittableRandom rng = new SplittableRandom(seed);
        int n = x0.length, p = m.patchDim();
        double[] losses = new double[timesteps.length];
        double mean = 0;
        for (int k = 0; k < timesteps.length; k++) {
            if (cancel.isCancelled()) {
                throw new CancellationException("scoreImage was cancelled");
            }
            int t = timesteps[k];
            if (t < 0 || t >= schedule.steps()) {
                throw new InvalidInputException("scoreImage: timestep " + t + " outside 0.." + (schedule.steps() - 1));
            }
            double a = Math.sqrt(schedule.alphaCumprod(t)), s = Math.sqrt(1 - schedule.alphaCumprod(t));
            float[][] xt = new float[n][p];
            float[] eps = new float[n * p];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) {
                    eps[i * p + j] = (float) rng.nextGaussian();
                    xt[i][j] = (float) (a * x0[i][j] + s * eps[i * p + j]);
                }
            }
            PromptPositions span = new PromptPositions(c);
            span.span(kind, xt, t, c.specialTokens().pad());
            float[] epsHat = forward.peek(span.toRows((int) cache.length()), cache).epsHat();   // [n, P], P_m used
            double se = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) {
                    double d = epsHat[i * wide + j] - eps[i * p + j];
                    se += d * d;
                }
            }
            losses[k] = se / eps.length;
            mean += losses[k] / timesteps.length;
        }
        return new ImageScore(timesteps, losses, mean);
    }
}
