package dev.transfusion.api;

import java.util.Map;

/**
 * What a model is.
 *
 * @param name       the preset or directory name
 * @param parameters trainable parameters
 * @param vocabSize  text vocabulary size
 * @param modalities modality name to plugin version
 * @param config     the architecture as key-value pairs (dim, layers, heads, ...)
 */
public record ModelInfo(String name, long parameters, int vocabSize, Map<String, String> modalities,
                        Map<String, String> config) {
    public ModelInfo {
        modalities = Map.copyOf(modalities);
        config = Map.copyOf(config);
    }
}
