package dev.transfusion.server;

import dev.transfusion.server.v1.Modality;
import dev.transfusion.server.v1.ModelInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The SDK's {@link dev.transfusion.api.ModelInfo} to the wire's {@link ModelInfo} and back. The sizes the SDK
 * keeps in its {@code config} map ({@code max_length}, {@code image_size}, {@code diffusion_steps}) get fields of
 * their own on the wire; a key the model does not report becomes 0.
 */
public final class ModelInfoMessages {
    static final String MAX_LENGTH = "max_length";
    static final String IMAGE_SIZE = "image_size";
    static final String DIFFUSION_STEPS = "diffusion_steps";
    /** Config key suffixes of a continuous modality's shapes, after its name: {@code "audio.latent"}. */
    static final String LATENT = ".latent";
    static final String PATCH = ".patch";

    private ModelInfoMessages() {
    }

    /** The wire form of {@code info}. */
    public static ModelInfo toMessage(dev.transfusion.api.ModelInfo info) {
        ModelInfo.Builder b = ModelInfo.newBuilder()
                .setName(info.name())
                .setParameterCount(info.parameters())
                .setVocabSize(info.vocabSize())
                .setMaxSequenceLength(intOf(info.config(), MAX_LENGTH, "max_seq_len"))
                .setImageSize(intOf(info.config(), IMAGE_SIZE, "image_side"))
                .setDiffusionSteps(intOf(info.config(), DIFFUSION_STEPS, "T"))
                .putAllConfig(info.config());
        info.modalities().forEach((name, version) -> b.addModalities(Modality.newBuilder().setName(name)
                .setPluginVersion(version)
                .addAllLatentShape(dims(info.config().get(name + LATENT)))
                .addAllPatch(dims(info.config().get(name + PATCH)))));
        return b.build();
    }

    /** The SDK form of {@code m}; the sized fields go back into {@code config} when set. */
    public static dev.transfusion.api.ModelInfo fromMessage(ModelInfo m) {
        Map<String, String> modalities = new LinkedHashMap<>();
        m.getModalitiesList().forEach(x -> modalities.put(x.getName(), x.getPluginVersion()));
        Map<String, String> config = new LinkedHashMap<>(m.getConfigMap());
        for (Modality x : m.getModalitiesList()) {   // the SDK keeps the shapes in config, as "audio.latent"
            putIfSet(config, x.getName() + LATENT, x.getLatentShapeList());
            putIfSet(config, x.getName() + PATCH, x.getPatchList());
        }
        putIfSet(config, MAX_LENGTH, m.getMaxSequenceLength());
        putIfSet(config, IMAGE_SIZE, m.getImageSize());
        putIfSet(config, DIFFUSION_STEPS, m.getDiffusionSteps());
        return new dev.transfusion.api.ModelInfo(m.getName(), m.getParameterCount(), m.getVocabSize(), modalities,
                config);
    }

    /** The first of {@code keys} that {@code config} holds as an int, or 0. */
    static int intOf(Map<String, String> config, String... keys) {
        for (String k : keys) {
            String v = config.get(k);
            if (v != null) {
                try {
                    return Integer.parseInt(v.trim());
                } catch (NumberFormatException e) {
                    // not a number: try the next spelling, else report 0 ("not said")
                }
            }
        }
        return 0;
    }

    /**
     * The dimensions of a config value such as {@code "1x32x64"}; empty when absent or unreadable (then the
     * model did not say, and the map still carries its words).
     */
    static List<Integer> dims(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (String d : value.trim().split("x")) {
            try {
                out.add(Integer.parseInt(d.trim()));
            } catch (NumberFormatException e) {
                return List.of();
            }
        }
        return out;
    }

    private static void putIfSet(Map<String, String> config, String key, List<Integer> dims) {
        if (!dims.isEmpty()) {
            config.putIfAbsent(key, dims.stream().map(String::valueOf).collect(Collectors.joining("x")));
        }
    }

    private static void putIfSet(Map<String, String> config, String key, int value) {
        if (value != 0) {
            config.putIfAbsent(key, String.valueOf(value));
        }
    }
}
