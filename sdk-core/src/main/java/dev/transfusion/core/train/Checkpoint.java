package dev.transfusion.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.transfusion.api.CheckpointException;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.io.AtomicDirectory;
import dev.transfusion.core.io.Manifest;
import dev.transfusion.core.model.NpyWeights;
import dev.transfusion.core.model.ParameterLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint directory: {@code config.json}, {@code weights/param.*.npy},
 * {@code optimizer/{m,v}.*.npy}, {@code training-state.json}, and {@code manifest.json} holding the
 * format version and every file's SHA-256. Written atomically; read back only if every check passes.
 *
 * @param config    the model configuration
 * @param weights   parameter values
 * @param firstMoments  AdamW m by parameter (empty when saved without optimizer state)
 * @param secondMoments AdamW v by parameter
 * @param averageWeights the moving average of the weights (empty when none was kept)
 * @param state     step, seed and schedule
 */
public record Checkpoint(TransfusionConfig config, Map<String, float[]> weights, Map<String, float[]> firstMoments,
                         Map<String, float[]> secondMoments, Map<String, float[]> averageWeights,
                         TrainingState state) {
    /** The format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    static final String FORMAT = "transfusion-checkpoint";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The weights to use for inference: the moving average when one was kept, else the raw weights. */
    public Map<String, float[]> inferenceWeights() {
        return averageWeights.isEmpty() ? weights : averageWeights;
    }

    /** Writes this checkpoint to {@code dir} atomically (an existing one is replaced only when complete). */
    public void write(Path dir) {
        ParameterLayout layout = new ParameterLayout(config);
        AtomicDirectory.write(dir, tmp -> {
            Files.writeString(tmp.resolve("config.json"), config.toJson());
            NpyWeights.write(tmp.resolve("weights"), layout, weights);
            if (!firstMoments.isEmpty()) {
                NpyWeights.write(tmp.resolve("optimizer/m"), layout, firstMoments);
                NpyWeights.write(tmp.resolve("optimizer/v"), layout, secondMoments);
            }
            if (!averageWeights.isEmpty()) {
                NpyWeights.write(tmp.resolve("average"), layout, averageWeights);
            }
            Files.writeString(tmp.resolve("training-state.json"), JSON.writeValueAsString(state));
            Manifest.write(tmp, FORMAT, FORMAT_VERSION);
        });
    }

    /** Reads and verifies a checkpoint; every failure names the file and what was wrong. */
    public static Checkpoint read(Path dir) {
        Manifest.verify(dir, FORMAT, FORMAT_VERSION);
        TransfusionConfig config = TransfusionConfig.read(dir.resolve("config.json"));
        ParameterLayout layout = new ParameterLayout(config);
        Map<String, float[]> weights = NpyWeights.read(dir.resolve("weights"), layout);
        Map<String, float[]> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
        if (Files.isDirectory(dir.resolve("optimizer"))) {
            m = NpyWeights.read(dir.resolve("optimizer/m"), layout);
            v = NpyWeights.read(dir.resolve("optimizer/v"), layout);
        }
        Map<String, float[]> average = Files.isDirectory(dir.resolve("average"))
                ? NpyWeights.read(dir.resolve("average"), layout) : Map.of();
        TrainingState state;
        try {
            state = JSON.readValue(dir.resolve("training-state.json").toFile(), TrainingState.class);
        } catch (IOException e) {
            throw new CheckpointException(dir.resolve("training-state.json") + " is invalid: " + e.getMessage(), e);
        }
        return new Checkpoint(config, weights, m, v, average, state);
    }
}
