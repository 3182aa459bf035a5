package dev.transfusion.server;

import dev.transfusion.server.v1.Modality;
import dev.transfusion.server.v1.ModelInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SDK's {@link dev.transfusion.api.ModelInfo} to the wire's {@link ModelInfo} and back. The sizes the SDK
 * keeps in its {@code config} map ({@code max_length}, {@code image_size}, {@code diffusion_steps}) get fields of
 * their own on the wire; a key the model does not report becomes 0.
 */
public final class ModelInfoMessages {
    static final String MAX_LENGTH = "max_length";
    static final String IMAGE_SIZE = "image_size";
    static final String DIFFUSION_STEPS = "diffusion_steps";

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
        info.modalities().forEach((name, version) ->
                b.addModalities(Modality.newBuilder().setName(name).setPluginVersion(version)));
        return b.build();
    }

    /** The SDK form of {@code m}; the sized fields go back into {@code config} when set. */
    public static dev.transfusion.api.ModelInfo fromMessage(ModelInfo m) {
        Map<String, String> modalities = new LinkedHashMap<>();
        m.getModalitiesList().forEach(x -> modalities.put(x.getName(), x.getPluginVersion()));
        Map<String, String> config = new LinkedHashMap<>(m.getConfigMap());
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

    private static void putIfSet(Map<String, String> config, String key, int value) {
        if (value != 0) {
            config.putIfAbsent(key, String.valueOf(value));
        }
    }
}
