package dev.transfusion.core.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.transfusion.api.CheckpointException;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.api.spi.Tokenizer;
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
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A trained model as a directory: {@code config.json} (architecture and special tokens),
 * {@code model.json} (which plugins, their versions, the image latent size), the weights
 * ({@code weights/param.*.npy} or {@code weights.safetensors}: {@link WeightFormat}),
 * {@code tokenizer/} in the text plugin's format, {@code codec/} as the image plugin wrote it, and
 * {@code manifest.json}. Written atomically; read only after every checksum matches.
 */
public final class ModelDirectory {
    static final String FORMAT = "transfusion-model";
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What a model directory says about its plugins.
     *
     * @param textModality  the modality name of the tokenizer plugin
     * @param textVersion   its version when the model was written
     * @param imageModality the image plugin's modality, or null for a text-only model
     * @param imageVersion  its version, or null
     * @param latentSide    side of a generated image's latent grid (0 for text-only)
     * @param imageSize     side in pixels of the images the model was trained on (0 for text-only)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Metadata(@JsonProperty("text_modality") String textModality,
                           @JsonProperty("text_version") String textVersion,
                           @JsonProperty("image_modality") @Nullable String imageModality,
                           @JsonProperty("image_version") @Nullable String imageVersion,
                           @JsonProperty("latent_side") int latentSide,
                           @JsonProperty("image_size") int imageSize) {
    }

    /**
     * A loaded model's parts.
     *
     * @param config    the architecture
     * @param weights   parameter values
     * @param tokenizer the text tokenizer
     * @param codec     the image codec, or null
     * @param metadata  plugins and sizes
     */
    public record Contents(TransfusionConfig config, Map<String, float[]> weights, Tokenizer tokenizer,
                           @Nullable LatentCodec codec, Metadata metadata) {
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

    /** Writes a model directory atomically with npy weights; {@code codecDir} (may be null) is copied in. */
    public static void write(Path dir, TransfusionConfig config, Map<String, float[]> weights, Tokenizer tokenizer,
                             @Nullable Path codecDir, Metadata metadata) {
        write(dir, config, weights, tokenizer, codecDir, metadata, WeightFormat.NPY);
    }

    /** Writes a model directory atomically, its weights in {@code format}; {@code codecDir} may be null. */
    public static void write(Path dir, TransfusionConfig config, Map<String, float[]> weights, Tokenizer tokenizer,
                             @Nullable Path codecDir, Metadata metadata, WeightFormat format) {
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
            if (codecDir != null) {
                copyTree(codecDir, tmp.resolve("codec"));
            }
            Manifest.write(tmp, FORMAT, FORMAT_VERSION);
        });
    }

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
        LatentCodec codec = meta.imageModality() == null ? null
                : registry.continuous(meta.imageModality()).loadCodec(dir.resolve("codec"));
        return new Contents(config, weights, tokenizer, codec, meta);
    }

    /** Verifies a model directory and reads its architecture and weights, in whichever format it keeps them. */
    public static Weights readWeights(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("model directory " + dir + " does not exist");
        }
        Manifest.verify(dir, FORMAT, FORMAT_VERSION);
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
        check(file, m.latentSide() % config.patch() == 0, "latent_side", "a multiple of the patch size "
                + config.patch(), m.latentSide());
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
