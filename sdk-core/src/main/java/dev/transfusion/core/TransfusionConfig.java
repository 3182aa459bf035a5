package dev.transfusion.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.transfusion.api.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The architecture and recipe of a Transfusion model, as plain data. JSON field names are the PyTorch
 * reference's (the model that wrote the parity fixtures in {@code sdk-core/src/test/resources/fixtures}),
 * so a fixture's {@code config.json} reads directly; fields it lacks take the defaults below.
 *
 * @param vocab              text vocabulary size V
 * @param dim                model width D
 * @param layers             transformer blocks
 * @param heads              attention heads (dim divisible by heads, head size even for RoPE)
 * @param ffnHidden          SwiGLU hidden width
 * @param latentChannels     latent channels C of the image codec
 * @param patch              patch side p; a patch holds C*p*p values
 * @param timeFreqDim        sinusoidal timestep feature size (even)
 * @param ropeTheta          RoPE base
 * @param normEps            RMSNorm epsilon
 * @param diffusionSteps     T of the noise schedule
 * @param ddpmWeight         lambda in L = L_LM + lambda * L_DDPM
 * @param specialTokens      ids of bos, eos, boi, eoi, pad
 * @param patchCoder         "linear" (reference) or "unet" (the paper's U-Net down/up blocks)
 * @param maxLength          positions per packed row
 * @param imageFirstShare    share of caption/image pairs put image first (noise limited to t &lt; imageFirstTMax)
 * @param imageFirstTMax     the noise limit for image-first pairs
 * @param conditionDropout   share of captions dropped in training, for classifier-free guidance
 * @param modalities         the continuous modalities, each with its latent, patch, coder, tokens and loss weight
 *                           (version 2); absent in a version-1 configuration, which has the one image modality
 *                           that {@code latent_channels}, {@code patch}, {@code patch_coder}, the boi/eoi ids and
 *                           {@code ddpm_weight} describe. Every engine path reads this list, never those fields.
 * @param spanAttention      how the positions of one continuous span see each other: "bidirectional" (the paper's
 *                           and the reference's) or "causal" (the paper's ablation: each patch sees only those before it)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TransfusionConfig(
        @JsonProperty("vocab") int vocab,
        @JsonProperty("dim") int dim,
        @JsonProperty("layers") int layers,
        @JsonProperty("heads") int heads,
        @JsonProperty("ffn_hidden") int ffnHidden,
        @JsonProperty("latent_channels") int latentChannels,
        @JsonProperty("patch") int patch,
        @JsonProperty("time_freq_dim") int timeFreqDim,
        @JsonProperty("rope_theta") double ropeTheta,
        @JsonProperty("norm_eps") double normEps,
        @JsonProperty("diffusion_steps") int diffusionSteps,
        @JsonProperty("ddpm_weight") double ddpmWeight,
        @JsonProperty("special_tokens") SpecialTokens specialTokens,
        @JsonProperty("patch_coder") String patchCoder,
        @JsonProperty("max_length") int maxLength,
        @JsonProperty("image_first_share") double imageFirstShare,
        @JsonProperty("image_first_t_max") int imageFirstTMax,
        @JsonProperty("condition_dropout") double conditionDropout,
        @JsonProperty("modalities") List<ModalityConfig> modalities,
        @JsonProperty("span_attention") String spanAttention) {

    /**
     * Ids of the reserved tokens. boi and eoi are the image modality's begin and end (the reference's names); a
     * model without images has -1 for both. Every continuous modality's own ids are in {@link ModalityConfig}.
     */
    public record SpecialTokens(@JsonProperty("bos") int bos, @JsonProperty("eos") int eos,
                                @JsonProperty("boi") int boi, @JsonProperty("eoi") int eoi,
                                @JsonProperty("pad") int pad) {
        /** The reference's ids: bos 0, eos 1, boi 2, eoi 3, pad 4. */
        public static final SpecialTokens DEFAULT = new SpecialTokens(0, 1, 2, 3, 4);
    }

    /** Largest {@code max_length}: prompts may take 8 rows, and positions are counted in an int. */
    public static final int MAX_LENGTH_LIMIT = 1 << 20;

    public TransfusionConfig {
        if (specialTokens == null) {
            specialTokens = SpecialTokens.DEFAULT;
        }
        if (patchCoder == null) {
            patchCoder = PatchCoderType.LINEAR.configName();
        }
        if (modalities != null && latentChannels == 0 && patch == 0) {
            // a version-2 file may leave out the version-1 fields: fill them so that they stay valid
            latentChannels = modalities.isEmpty() ? 1 : modalities.get(0).channels();
            patch = 1;
        }
        check(vocab > 0, "vocab", "> 0", vocab);
        check(dim > 0, "dim", "> 0", dim);
        check(layers > 0, "layers", "> 0", layers);
        check(heads > 0 && dim % heads == 0, "heads", "> 0 and dividing dim " + dim, heads);
        check((dim / heads) % 2 == 0, "heads", "a head size dim/heads that is even (RoPE rotates pairs)", heads);
        check(ffnHidden > 0, "ffn_hidden", "> 0", ffnHidden);
        check(latentChannels > 0, "latent_channels", "> 0", latentChannels);
        check(patch == 1 || patch == 2 || patch == 4 || patch == 8, "patch", "1, 2, 4 or 8", patch);
        check(timeFreqDim > 0 && timeFreqDim % 2 == 0, "time_freq_dim", "even and > 0", timeFreqDim);
        check(ropeTheta > 0, "rope_theta", "> 0", ropeTheta);
        check(normEps > 0, "norm_eps", "> 0", normEps);
        check(diffusionSteps > 1, "diffusion_steps", "> 1", diffusionSteps);
        check(ddpmWeight >= 0, "ddpm_weight", ">= 0", ddpmWeight);
        check(PatchCoderType.isName(patchCoder), "patch_coder", "\"linear\" or \"unet\"", patchCoder);
        if (maxLength == 0) {
            maxLength = 256;
        }
        check(maxLength > 1 && maxLength <= MAX_LENGTH_LIMIT, "max_length", "2.." + MAX_LENGTH_LIMIT, maxLength);
        // every weight matrix is one Java array: its size must fit an int (long arithmetic, no overflow)
        long d = dim;
        for (long size : new long[] {vocab * d, d * ffnHidden, (long) timeFreqDim * d}) {
            check(size <= Integer.MAX_VALUE - 8, "dim", "a size whose weight matrices fit in memory (vocab "
                    + vocab + ", ffn_hidden " + ffnHidden + ")", dim);
        }
        boolean noImage = specialTokens.boi() == -1 && specialTokens.eoi() == -1;
        int[] ids = noImage ? new int[] {specialTokens.bos(), specialTokens.eos(), specialTokens.pad()}
                : new int[] {specialTokens.bos(), specialTokens.eos(), specialTokens.boi(), specialTokens.eoi(),
                        specialTokens.pad()};
        for (int id : ids) {
            check(id >= 0 && id < vocab, "special_tokens", "ids inside the vocabulary 0.." + (vocab - 1)
                    + " (boi and eoi both -1 for a model without images)", specialTokens);
        }
        check(Arrays.stream(ids).distinct().count() == ids.length, "special_tokens", "distinct ids", specialTokens);
        if (modalities == null) {
            check(!noImage, "special_tokens", "boi and eoi ids in a configuration without 'modalities'", specialTokens);
            modalities = List.of(ModalityConfig.imageOfVersion1(latentChannels, patch, patchCoder, specialTokens.boi(),
                    specialTokens.eoi(), ddpmWeight));
        }
        modalities = List.copyOf(modalities);
        checkModalities(modalities, vocab, dim, ids);
        check(imageFirstShare >= 0 && imageFirstShare <= 1, "image_first_share", "0..1", imageFirstShare);
        if (imageFirstTMax == 0) {
            imageFirstTMax = 500;
        }
        check(imageFirstTMax > 0 && imageFirstTMax <= diffusionSteps, "image_first_t_max", "1..diffusion_steps", imageFirstTMax);
        check(conditionDropout >= 0 && conditionDropout <= 1, "condition_dropout", "0..1", conditionDropout);
        if (spanAttention == null) {
            spanAttention = BIDIRECTIONAL;
        }
        check(spanAttention.equals(BIDIRECTIONAL) || spanAttention.equals(CAUSAL), "span_attention",
                "\"" + BIDIRECTIONAL + "\" or \"" + CAUSAL + "\"", "\"" + spanAttention + "\"");
    }

    /** {@link #spanAttention()}: every position of a span sees the whole span (Transfusion's rule). */
    public static final String BIDIRECTIONAL = "bidirectional";
    /** {@link #spanAttention()}: a span's positions see only those before them, like text (the ablation). */
    public static final String CAUSAL = "causal";

    /** Whether the positions of one continuous span attend to each other in both directions. */
    public boolean bidirectionalSpans() {
        return spanAttention.equals(BIDIRECTIONAL);
    }

    private static void checkModalities(List<ModalityConfig> ms, int vocab, int dim, int[] fixed) {
        java.util.Set<String> names = new java.util.HashSet<>();
        java.util.Set<Integer> tokens = new java.util.HashSet<>();
        for (int id : fixed) {
            tokens.add(id);
        }
        for (ModalityConfig m : ms) {
            check(names.add(m.name()), "modalities", "distinct names", m.name() + " twice");
            check(m.beginToken() < vocab && m.endToken() < vocab, "modalities", "begin/end ids inside the vocabulary 0.."
                    + (vocab - 1), m);
            boolean image = m.name().equals(dev.transfusion.api.ImagePart.MODALITY);
            boolean fresh = tokens.add(m.beginToken()) | image;      // the image's ids are boi/eoi, already in the set
            fresh &= tokens.add(m.endToken()) | image;
            check(fresh, "modalities", "begin/end ids of their own (not another token's)", m);
            check((long) dim * (m.patchDim() + 1) <= Integer.MAX_VALUE - 8, "modalities", "patches whose weight "
                    + "matrices fit in memory", m);
        }
    }

    private static void check(boolean ok, String field, String expected, Object got) {
        if (!ok) {
            throw new InvalidInputException("config field '" + field + "' must be " + expected + ", got " + got);
        }
    }

    /**
     * The widest patch of any modality, C * ph * pw: packed rows keep every position's patch in this many
     * columns (a modality with fewer uses the first of them). 1 for a model without continuous modalities.
     */
    public int patchDim() {
        return modalities.stream().mapToInt(ModalityConfig::patchDim).max().orElse(1);
    }

    /** The modality called {@code name}; the error lists the model's modalities. */
    public ModalityConfig modality(String name) {
        return modalities.get(modalityIndex(name));
    }

    /** The index of the modality called {@code name} in {@link #modalities()}. */
    public int modalityIndex(String name) {
        for (int i = 0; i < modalities.size(); i++) {
            if (modalities.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new InvalidInputException("this model has no '" + name + "' modality; it has "
                + (modalities.isEmpty() ? "text only" : "text and " + modalities.stream().map(ModalityConfig::name).toList()));
    }

    /** Whether the model has a modality called {@code name}. */
    public boolean hasModality(String name) {
        return modalities.stream().anyMatch(m -> m.name().equals(name));
    }

    /** The index of the modality whose spans {@code token} opens, or -1. */
    public int modalityOpenedBy(int token) {
        for (int i = 0; i < modalities.size(); i++) {
            if (modalities.get(i).beginToken() == token) {
                return i;
            }
        }
        return -1;
    }

    /** Size of one attention head. */
    public int headDim() {
        return dim / heads;
    }

    /** Trainable parameters of the linear-patch model, counted from the shapes (no graph is built). */
    public long parameterCount() {
        long d = dim;
        long perLayer = 2 * d + 4 * d * d + 3 * d * ffnHidden;
        long n = vocab * d                   // tok_embeddings
                + layers * perLayer
                + d                          // norm
                + vocab * d;                 // output
        for (ModalityConfig m : modalities) {
            long p = m.patchDim();
            n += p * d + d                   // patch_in
                    + (long) timeFreqDim * d + d + d * d + d   // time_embed
                    + d * p + p;             // patch_out
        }
        return n;
    }

    /** The version-1 patch coder field's type (each modality has its own: {@link ModalityConfig#coder()}). */
    public PatchCoderType coder() {
        return PatchCoderType.of(patchCoder);
    }

    /** A copy with another vocabulary size (after a tokenizer is trained). */
    public TransfusionConfig withVocab(int v) {
        return new TransfusionConfig(v, dim, layers, heads, ffnHidden, latentChannels, patch, timeFreqDim, ropeTheta,
                normEps, diffusionSteps, ddpmWeight, specialTokens, patchCoder, maxLength, imageFirstShare,
                imageFirstTMax, conditionDropout, modalities, spanAttention);
    }

    /**
     * A copy with other special-token ids; a version-1 style image modality (the only one, named image) follows
     * the new boi/eoi.
     */
    public TransfusionConfig withSpecialTokens(SpecialTokens s) {
        List<ModalityConfig> ms = modalities.stream().map(m -> m.name().equals(dev.transfusion.api.ImagePart.MODALITY)
                && s.boi() >= 0 ? new ModalityConfig(m.name(), m.pluginVersion(), m.latent(), m.patch(), m.patchCoder(),
                s.boi(), s.eoi(), m.lossWeight(), m.latentRange()) : m).toList();
        return new TransfusionConfig(vocab, dim, layers, heads, ffnHidden, latentChannels, patch, timeFreqDim, ropeTheta,
                normEps, diffusionSteps, ddpmWeight, s, patchCoder, maxLength, imageFirstShare, imageFirstTMax,
                conditionDropout, ms, spanAttention);
    }

    /** A copy whose every modality has another patch encoder/decoder ("linear" or "unet"). */
    public TransfusionConfig withPatchCoder(String coder) {
        return new TransfusionConfig(vocab, dim, layers, heads, ffnHidden, latentChannels, patch, timeFreqDim, ropeTheta,
                normEps, diffusionSteps, ddpmWeight, specialTokens, coder, maxLength, imageFirstShare, imageFirstTMax,
                conditionDropout, modalities.stream().map(m -> m.withPatchCoder(coder)).toList(), spanAttention);
    }

    /** A copy with these continuous modalities (version 2). */
    public TransfusionConfig withModalities(List<ModalityConfig> ms) {
        return new TransfusionConfig(vocab, dim, layers, heads, ffnHidden, latentChannels, patch, timeFreqDim, ropeTheta,
                normEps, diffusionSteps, ddpmWeight, specialTokens, patchCoder, maxLength, imageFirstShare,
                imageFirstTMax, conditionDropout, ms, spanAttention);
    }

    /** A copy in which modality {@code name} records the latent size H x W its spans are generated at. */
    public TransfusionConfig withLatentSize(String name, int h, int w) {
        return withModalities(modalities.stream().map(m -> m.name().equals(name) ? m.withLatentSize(h, w) : m).toList());
    }

    /** A copy with another row length. */
    public TransfusionConfig withMaxLength(int length) {
        return new TransfusionConfig(vocab, dim, layers, heads, ffnHidden, latentChannels, patch, timeFreqDim, ropeTheta,
                normEps, diffusionSteps, ddpmWeight, specialTokens, patchCoder, length, imageFirstShare, imageFirstTMax,
                conditionDropout, modalities, spanAttention);
    }

    private static TransfusionConfig of(int vocab, int dim, int layers, int heads, int ffn, int latent, int timeFreq,
                                        int maxLength) {
        return new TransfusionConfig(vocab, dim, layers, heads, ffn, latent, 2, timeFreq, 10000.0, 1e-5, 1000, 5.0,
                SpecialTokens.DEFAULT, PatchCoderType.LINEAR.configName(), maxLength, 0.2, 500, 0.1, null, BIDIRECTIONAL);
    }

    /** Llama's SwiGLU width: 2/3 of 4d, rounded up to a multiple of 256. */
    private static int llamaFfn(int d) {
        return 256 * ((8 * d / 3 + 255) / 256);
    }

    /** The named presets: tiny (tests), shapes, bench (the reference's), and the paper's sizes. */
    public static final Map<String, TransfusionConfig> PRESETS = Map.of(
            "tiny", of(64, 32, 2, 2, 48, 4, 32, 40),
            "shapes", of(320, 128, 4, 4, 352, 4, 128, 64),
            "bench", of(512, 256, 4, 4, 704, 4, 256, 256),
            "0.16B", of(32000, 768, 16, 12, llamaFfn(768), 8, 256, 4096),
            "0.37B", of(32000, 1024, 24, 16, llamaFfn(1024), 8, 256, 4096),
            "0.76B", of(32000, 1536, 24, 24, llamaFfn(1536), 8, 256, 4096),
            "1.4B", of(32000, 2048, 24, 16, llamaFfn(2048), 8, 256, 4096),
            "7B", of(32000, 4096, 32, 32, llamaFfn(4096), 8, 256, 4096));

    /** A preset by name; the error lists the known names. */
    public static TransfusionConfig preset(String name) {
        TransfusionConfig c = PRESETS.get(name);
        if (c == null) {
            throw new InvalidInputException("unknown preset '" + name + "'; known: "
                    + PRESETS.keySet().stream().sorted().toList());
        }
        return c;
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** This configuration as JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON; the error names what is wrong. */
    public static TransfusionConfig fromJson(String json) {
        try {
            return JSON.readValue(json, TransfusionConfig.class);
        } catch (IOException e) {
            Throwable c = e.getCause() instanceof InvalidInputException iie ? iie : e;
            throw new InvalidInputException("invalid configuration JSON: " + c.getMessage(), e);
        }
    }

    /** Reads a {@code config.json} file; the error names the file. */
    public static TransfusionConfig read(Path file) {
        try {
            return fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read configuration " + file + ": " + e.getMessage(), e);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file + ": " + e.getMessage(), e);
        }
    }
}
