package dev.transfusion.core.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.transfusion.api.CheckpointException;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.api.spi.Tokenizer;
import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.io.AtomicDirectory;
import dev.transfusion.core.io.Manifest;
import dev.transfusion.core.model.NpyWeights;
import dev.transfusion.core.model.ParameterLayout;
import dev.transfusion.core.model.SafeTensorWeights;
import dev.transfusion.core.model.WeightFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A trained model as a directory: {@code config.json} (architecture, special tokens, and each continuous
 * modality's latent, patch, coder and tokens), {@code model.json} (which plugins and their versions), the weights
 * ({@code weights/param.*.npy} or {@code weights.safetensors}: {@link WeightFormat}), {@code tokenizer/} in the
 * text plugin's format, {@code codecs/NAME/} as each continuous plugin wrote its codec, and {@code manifest.json}.
 * Written atomically; read only after every checksum matches.
 *
 * <p>Version 1 (before modalities were plugins) had one image modality: {@code codec/}, and its latent size in
 * {@code model.json}'s {@code latent_side}; such directories still load, as a model of that one modality.
 */
public final class ModelDirectory {
    static final String FORMAT = "transfusion-model";
    /** The format version this build writes. */
    public static final int FORMAT_VERSION = 2;
    /** The oldest format version this build reads. */
    public static final int OLDEST_VERSION = 1;
    /** Where a version-1 directory keeps its image codec. */
    static final String VERSION_1_CODEC = "codec";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What a model directory says about its plugins.
     *
     * @param textModality  the modality name of the tokenizer plugin
     * @param textVersion   its version when the model was written
     * @param imageModality the image plugin's modality, or null for a model without images
     * @param imageVersion  its version, or null
     * @param latentSide    side of a generated image's latent grid (0 without images)
     * @param imageSize     side in pixels of the images the model was trained on (0 without images)
     * @param modalities    each continuous modality's plugin version and codec folder (version 2; null in
     *                      version 1, which has the image fields only)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Metadata(@JsonProperty("text_modality") String textModality,
                           @JsonProperty("text_version") String textVersion,
                           @JsonProperty("image_modality") @Nullable String imageModality,
                           @JsonProperty("image_version") @Nullable String imageVersion,
                           @JsonProperty("latent_side") int latentSide,
                           @JsonProperty("image_size") int imageSize,
                           @JsonProperty("modalities") @Nullable List<ModalityEntry> modalities) {

        /** Version-1 metadata: one image modality (or none). */
        public Metadata(String textModality, String textVersion, @Nullable String imageModality,
                        @Nullable String imageVersion, int latentSide, int imageSize) {
            this(textModality, textVersion, imageModality, imageVersion, latentSide, imageSize, null);
        }

        /** The continuous modalities, by name with their versions, in either version's form. */
        public List<ModalityEntry> entries() {
            if (modalities != null) {
                return modalities;
            }
            return imageModality == null ? List.of()
                    : List.of(new ModalityEntry(imageModality, String.valueOf(imageVersion), VERSION_1_CODEC));
        }
    }

    /**
     * One continuous modality of a model directory.
     *
     * @param name    the modality
     * @param version its plugin's version when the model was written
     * @param codec   its codec's folder inside the model directory ({@code codecs/NAME})
     */
    public record ModalityEntry(@JsonProperty("name") String name, @JsonProperty("version") String version,
                                @JsonProperty("codec") String codec) {
    }

    /**
     * A loaded model's parts.
     *
     * @param config    the architecture, each modality with its latent size
     * @param weights   parameter values
     * @param tokenizer the text tokenizer
     * @param codecs    each continuous modality's codec, by name
     * @param metadata  plugins and sizes
     */
    public record Contents(TransfusionConfig config, Map<String, float[]> weights, Tokenizer tokenizer,
                           Map<String, LatentCodec> codecs, Metadata metadata) {
        public Contents {
            codecs = Map.copyOf(codecs);
        }

        /** The image codec, or null for a model without images. */
        public @Nullable LatentCodec codec() {
            return codecs.get(dev.transfusion.api.ImagePart.MODALITY);
        }

        /** Frees every codec. */
        public void closeCodecs() {
            codecs.values().forEach(LatentCodec::close);
        }
    }

    /**
     * A model's architecture and weights, read without its plugins.
     *
     * @param config the architecture
     * @param values parameter values by the reference's names
     * @param format how the directory stores them
     */
    public record Weights(TransfusionConfig config, Map<String, float[]> values, WeightFormat format) {
    }

    private ModelDirectory() {
    }

    /** Writes a model directory atomically with npy weights; {@code codecDir} (may be null) is the image codec's. */
    public static void write(Path dir, TransfusionConfig config, Map<String, float[]> weights, Tokenizer tokenizer,
                             @Nullable Path codecDir, Metadata metadata) {
        write(dir, config, weights, tokenizer, codecDir, metadata, WeightFormat.NPY);
    }

    /** Writes a model directory atomically, its weights in {@code format}; {@code codecDir} is the image codec's. */
    public static void write(Path dir, TransfusionConfig config, Map<String, float[]> weights, Tokenizer tokenizer,
                             @Nullable Path codecDir, Metadata metadata, WeightFormat format) {
        Map<String, Path> codecs = new LinkedHashMap<>();
        Map<String, String> versions = new LinkedHashMap<>();
        for (ModalityEntry e : metadata.entries()) {
            versions.put(e.name(), e.version());
        }
        if (codecDir != null && metadata.imageModality() != null) {
            codecs.put(metadata.imageModality(), codecDir);
        }
        TransfusionConfig c = metadata.imageModality() != null && metadata.latentSide() > 0
                && !config.modality(metadata.imageModality()).hasLatentSize()
                ? config.withLatentSize(metadata.imageModality(), metadata.latentSide(), metadata.latentSide()) : config;
        write(dir, c, weights, tokenizer, codecs, versions, metadata.textModality(), metadata.textVersion(),
                metadata.imageSize(), format);
    }

    /**
     * Writes a model directory (version 2) atomically: each continuous modality's codec folder is copied to
     * {@code codecs/NAME/}.
     *
     * @param codecs    codec folders by modality name
     * @param versions  plugin versions by modality name
     * @param imageSize side in pixels of the training images (0 without images)
     */
    public static void write(Path dir, TransfusionConfig config, Map<String, float[]> weights, Tokenizer tokenizer,
                             Map<String, Path> codecs, Map<String, String> versions, String textModality,
                             String textVersion, int imageSize, WeightFormat format) {
        List<ModalityEntry> entries = new ArrayList<>();
        for (ModalityConfig m : config.modalities()) {
            if (codecs.containsKey(m.name())) {
                entries.add(new ModalityEntry(m.name(), versions.getOrDefault(m.name(), String.valueOf(m.pluginVersion())),
                        CODECS + "/" + m.name()));
            }
        }
        boolean image = config.hasModality(dev.transfusion.api.ImagePart.MODALITY)
                && codecs.containsKey(dev.transfusion.api.ImagePart.MODALITY);
        ModalityConfig im = image ? config.modality(dev.transfusion.api.ImagePart.MODALITY) : null;
        Metadata metadata = new Metadata(textModality, textVersion, image ? im.name() : null,
                image ? versions.get(im.name()) : null, image ? im.height() : 0, image ? imageSize : 0, entries);
        AtomicDirectory.write(dir, tmp -> {
            Files.writeString(tmp.resolve("config.json"), config.toJson());
            Files.writeString(tmp.resolve("model.json"), JSON.writeValueAsString(metadata));
            ParameterLayout layout = new ParameterLayout(config);
            switch (format) {
                case NPY -> NpyWeights.write(format.in(tmp), layout, weights);
                case SAFETENSORS -> SafeTensorWeights.write(format.in(tmp), layout, weights);
            }
            Path tok = Files.createDirectories(tmp.resolve("tokenizer"));
            tokenizer.save(tok);
            for (ModalityEntry e : entries) {
                copyTree(codecs.get(e.name()), tmp.resolve(e.codec()));
            }
            Manifest.write(tmp, FORMAT, FORMAT_VERSION);
        });
    }

    /** The folder of a model directory's codecs, one sub-folder per modality. */
    public static final String CODECS = "codecs";

    /** Reads and verifies a model directory, loading its tokenizer and codec through the registry's plugins. */
    public static Contents read(Path dir, ModalityRegistry registry) {
        Weights w = readWeights(dir);
        TransfusionConfig config = w.config();
        Map<String, float[]> weights = w.values();
        Metadata meta;
        try {
            meta = JSON.readValue(dir.resolve("model.json").toFile(), Metadata.class);
        } catch (IOException e) {
            throw new CheckpointException(dir.resolve("model.json") + " is invalid: " + e.getMessage(), e);
        }
        checkMetadata(dir.resolve("model.json"), meta, config);
        for (Map.Entry<String, float[]> e : weights.entrySet()) {
            float[] v = e.getValue();
            for (int k = 0; k < v.length; k++) {
                if (!Float.isFinite(v[k])) {   // a NaN weight makes every logit NaN: special tokens come out as text
                    throw new CheckpointException(w.format() == WeightFormat.NPY
                            ? NpyWeights.file(WeightFormat.NPY.in(dir), e.getKey()) + ": value " + k + " is " + v[k]
                                    + "; weights must be finite"
                            : WeightFormat.SAFETENSORS.in(dir) + ": tensor " + e.getKey() + " value " + k + " is " + v[k]
                                    + "; weights must be finite");
                }
            }
        }
        Tokenizer tokenizer = registry.discrete(meta.textModality()).loadTokenizer(dir.resolve("tokenizer"));
        if (tokenizer.vocabSize() != config.vocab()) {
            throw new CheckpointException(dir.resolve("tokenizer") + " has " + tokenizer.vocabSize()
                    + " tokens but config.json says vocab " + config.vocab());
        }
        if (meta.modalities() == null && meta.imageModality() != null && meta.latentSide() > 0) {
            // version 1: the image's latent size was in model.json
            config = config.withLatentSize(meta.imageModality(), meta.latentSide(), meta.latentSide());
        }
        Map<String, LatentCodec> codecs = new LinkedHashMap<>();
        try {
            for (ModalityEntry e : meta.entries()) {
                if (!config.hasModality(e.name())) {
                    throw new CheckpointException(dir.resolve("model.json") + ": modality '" + e.name()
                            + "' is not in config.json, which has " + config.modalities().stream()
                            .map(ModalityConfig::name).toList());
                }
                Path codecDir = dir.resolve(e.codec()).normalize();
                if (!codecDir.startsWith(dir.normalize())) {
                    throw new CheckpointException(dir.resolve("model.json") + ": codec folder '" + e.codec()
                            + "' of '" + e.name() + "' lies outside the model directory");
                }
                codecs.put(e.name(), plugin(registry, e.name(), dir).loadCodec(codecDir));
            }
        } catch (RuntimeException e) {
            codecs.values().forEach(LatentCodec::close);
            throw e;
        }
        return new Contents(config, weights, tokenizer, codecs, meta);
    }

    /** The plugin of a model's modality; the error names the model and the registered modalities. */
    private static dev.transfusion.api.spi.ContinuousModalityPlugin plugin(ModalityRegistry registry, String name, Path dir) {
        if (!registry.modalities().contains(name)) {
            throw new dev.transfusion.api.PluginException("model " + dir + " has the modality '" + name
                    + "' but no plugin for it is registered (registered: " + new java.util.TreeSet<>(registry.modalities())
                    + "); put its plugin jar on the class path or in --plugins DIR");
        }
        return registry.continuous(name);
    }

    /** Verifies a model directory and reads its architecture and weights, in whichever format it keeps them. */
    public static Weights readWeights(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("model directory " + dir + " does not exist");
        }
        Manifest.verify(dir, FORMAT, OLDEST_VERSION, FORMAT_VERSION);
        TransfusionConfig config = TransfusionConfig.read(dir.resolve("config.json"));
        boolean npy = Files.isDirectory(WeightFormat.NPY.in(dir));
        boolean safetensors = Files.isRegularFile(WeightFormat.SAFETENSORS.in(dir));
        if (npy == safetensors) {
            throw new CheckpointException(dir + (npy ? " holds both weights/ and " : " holds neither weights/ nor ")
                    + SafeTensorWeights.FILE + "; a model keeps its weights in exactly one of them");
        }
        ParameterLayout layout = new ParameterLayout(config);
        return npy ? new Weights(config, NpyWeights.read(WeightFormat.NPY.in(dir), layout), WeightFormat.NPY)
                : new Weights(config, SafeTensorWeights.read(WeightFormat.SAFETENSORS.in(dir), layout), WeightFormat.SAFETENSORS);
    }

    /** The sizes in model.json against the pixel limit and the config, so that none fails later, deep inside. */
    private static void checkMetadata(Path file, Metadata m, TransfusionConfig config) {
        long maxSide = (long) Math.sqrt((double) dev.transfusion.api.RgbImage.MAX_PIXELS);
        check(file, m.textModality() != null && !m.textModality().isBlank(), "text_modality", "a modality name",
                m.textModality());
        check(file, m.imageSize() >= 0 && m.imageSize() <= maxSide, "image_size", "0.." + maxSide, m.imageSize());
        check(file, m.latentSide() >= 0 && m.latentSide() <= Math.max(m.imageSize(), 0), "latent_side",
                "0..image_size (" + m.imageSize() + ")", m.latentSide());
        if (m.imageModality() != null && config.hasModality(m.imageModality())) {
            int p = config.modality(m.imageModality()).patch()[0];
            check(file, m.latentSide() % p == 0, "latent_side", "a multiple of the patch size " + p, m.latentSide());
        }
        if (m.imageModality() != null) {
            check(file, m.imageSize() > 0 && m.latentSide() > 0, "image_size",
                    "positive with latent_side for a model with images", m.imageSize() + " / " + m.latentSide());
        }
    }

    private static void check(Path file, boolean ok, String field, String expected, @Nullable Object got) {
        if (!ok) {
            throw new CheckpointException(file + ": field '" + field + "' must be " + expected + ", got " + got);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
