package dev.transfusion.samples.bench;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.DiffusionSampler;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.diffusion.NoiseSchedule;
import dev.transfusion.core.generate.CachedForward;
import dev.transfusion.core.generate.PromptPositions;
import dev.transfusion.core.generate.SpanDenoiser;
import dev.transfusion.core.generate.KvCache;
import dev.transfusion.core.generate.TokenSampler;
import dev.transfusion.core.model.ParameterLayout;
import dev.transfusion.core.model.TransfusionGraph;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The reference's {@code bench-generate}: the bench config, batch 1; greedy decoding of 256 tokens after a
 * 16-token prompt with the KV cache and by recomputing the whole prefix for every token; and one image of
 * 64 patches (16x16x4 latent, 2x2) after the prompt, 50 DDIM steps from t = 985 with guidance 3, the
 * conditional and unconditional rows in one batch with both prefixes cached once. Medians of {@code reps}.
 *
 * @param cachedMsPerToken    decoding with the cache
 * @param recomputeMsPerToken decoding by recomputing the prefix
 * @param imageMs             one guided image
 */
public record GenerateBench(double cachedMsPerToken, double recomputeMsPerToken, double imageMs) {
    private static final SplittableRandom GREEDY = new SplittableRandom(0);   // argmax draws nothing

    /** Runs the benchmark on a freshly initialised model of {@code config}. */
    public static GenerateBench run(TransfusionConfig config, int newTokens, int reps) {
        TransfusionGraph graph = TransfusionGraph.forInference(config, new ParameterLayout(config).initialValues(0));
        CachedForward forward = new CachedForward(graph);
        SplittableRandom rng = new SplittableRandom(0);
        int[] prompt = new int[16];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = 5 + rng.nextInt(config.vocab() - 5);
        }
        // Warm-up, unmeasured: the JIT compiles the forward's loops (the first pass is several times slower)
        // and SameDiff builds its executors; PyTorch's reference needs neither.
        decode(forward, config, prompt, newTokens, true);
        decode(forward, config, prompt, 32, false);
        image(forward, config, prompt);
        double cached = median(reps, () -> decode(forward, config, prompt, newTokens, true));
        double full = median(reps, () -> decode(forward, config, prompt, newTokens, false));
        double image = median(reps, () -> image(forward, config, prompt));
        return new GenerateBench(cached, full, image);
    }

    private static double decode(CachedForward forward, TransfusionConfig c, int[] prompt, int n, boolean cached) {
        PromptPositions ctx = new PromptPositions(c.patchDim());
        for (int id : prompt) {
            ctx.token(id);
        }
        CachedForward.Result r = forward.run(ctx.toRows(0), null);
        KvCache cache = r.cache();
        float[] logits = last(r.logits(), c.vocab());
        long t0 = System.nanoTime();
        for (int k = 0; k < n; k++) {
            int next = TokenSampler.argmax(logits, GREEDY);
            ctx.token(next);
            if (cached) {
                PromptPositions one = new PromptPositions(c.patchDim());
                one.token(next);
                r = forward.run(one.toRows((int) cache.length()), cache);
                cache = r.cache();
            } else {
                r = forward.run(ctx.toRows(0), null);
            }
            logits = last(r.logits(), c.vocab());
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }

    /**
     * Greedy decoding with the cache from a 16-token prompt to {@code marks[last]} new tokens, after one
     * unmeasured run: the mean time a token over the 32 tokens up to each mark. With a cache that grows in
     * place this rises only with attention over the longer prefix.
     */
    public static String longDecode(TransfusionConfig config, int[] marks) {
        TransfusionGraph graph = TransfusionGraph.forInference(config, new ParameterLayout(config).initialValues(0));
        CachedForward forward = new CachedForward(graph);
        int[] prompt = new int[16];
        SplittableRandom rng = new SplittableRandom(0);
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = 5 + rng.nextInt(config.vocab() - 5);
        }
        int n = marks[marks.length - 1];
        long[] at = new long[n + 1];
        for (int round = 0; round < 2; round++) {
            PromptPositions ctx = new PromptPositions(config.patchDim());
            for (int id : prompt) {
                ctx.token(id);
            }
            CachedForward.Result r = forward.run(ctx.toRows(0), null);
            KvCache cache = r.cache();
            at[0] = System.nanoTime();
            for (int k = 1; k <= n; k++) {
                PromptPositions one = new PromptPositions(config.patchDim());
                one.token(TokenSampler.argmax(last(r.logits(), config.vocab()), GREEDY));
                r = forward.run(one.toRows((int) cache.length()), cache);
                cache = r.cache();
                at[k] = System.nanoTime();
            }
        }
        StringBuilder out = new StringBuilder();
        for (int m : marks) {
            int from = Math.max(0, m - 32);
            out.append(String.format("decode_ms_per_token_at_%d %.2f ", m, (at[m] - at[from]) / 1e6 / (m - from)));
        }
        return out.toString().strip();
    }

    private static double image(CachedForward forward, TransfusionConfig c, int[] prompt) {
        long t0 = System.nanoTime();
        PromptPositions cond = new PromptPositions(c.patchDim());
        cond.token(c.specialTokens().bos());
        for (int id : Arrays.copyOf(prompt, prompt.length - 1)) {
            cond.token(id);
        }
        cond.token(c.specialTokens().boi());
        PromptPositions uncond = new PromptPositions(c.patchDim());
        uncond.token(c.specialTokens().bos());
        uncond.token(c.specialTokens().boi());
        KvCache a = forward.run(cond.toRows(0), null).cache(), b = forward.run(uncond.toRows(0), null).cache();
        GenerationOptions o = GenerationOptions.builder().sampler(DiffusionSampler.DDIM).diffusionSteps(50)
                .guidanceScale(3).seed(0L).build();
        // 64 patches: a 16 x 16 latent in the bench config's 2 x 2 patches
        TransfusionConfig sized = c.withLatentSize(dev.transfusion.api.ImagePart.MODALITY, 16, 16);
        new SpanDenoiser(forward, sized, NoiseSchedule.cosine(c.diffusionSteps()))
                .denoise(a, b, sized.modalityIndex(dev.transfusion.api.ImagePart.MODALITY), o, new SplittableRandom(0),
                        (k, n, t) -> { }, new Cancellation());
        return (System.nanoTime() - t0) / 1e6;
    }

    private static float[] last(float[] logits, int v) {
        return Arrays.copyOfRange(logits, logits.length - v, logits.length);
    }

    private static double median(int reps, java.util.function.DoubleSupplier f) {
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            t[i] = f.getAsDouble();
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    /** The figures in the reference's words. */
    public String report() {
        return String.format("decode_ms_per_token_cached %.2f decode_ms_per_token_recompute %.2f kv_cache_speedup %.1f%n"
                + "image_ms %.0f (64 patches, 50 DDIM steps, guidance 3.0, cached prefix; generation threads %d)",
                cachedMsPerToken, recomputeMsPerToken, recomputeMsPerToken / cachedMsPerToken, imageMs,
                dev.transfusion.core.EngineSettings.generationThreads());
    }
}
