package dev.transfusion.plugins.audio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transfusion.api.PluginException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audio codec's directory: a {@code config.json} naming the codec, its grid ({@link LogMelGrid}) and every
 * parameter. The codec is frozen and has no weights, so the file is a record of what a model was trained with;
 * loading refuses any parameter that differs from this build's codec on that grid, since its latents would mean
 * something else. A directory written before grids existed has no {@code grid} field and is the fine grid.
 */
public final class CodecDirectory {
    /** The config file's name. */
    public static final String CONFIG = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CodecDirectory() {
    }

    /** Every parameter of the codec on {@code grid}, as written and as expected on loading. */
    static Map<String, Object> parameters(LogMelGrid grid) {
        LinkedHashMap<String, Object> p = new LinkedHashMap<>();
        p.put("codec", LogMelCodec.CODEC);
        p.put("sample_rate", AudioClip.SAMPLE_RATE);
        p.put("samples", LogMelCodec.SAMPLES);
        p.put("frame", LogMelCodec.FRAME);
        p.put("hop", LogMelCodec.HOP);
        p.put("mels", grid.mels());
        p.put("mel_min_hz", LogMelCodec.MEL_MIN_HZ);
        p.put("mel_max_hz", LogMelCodec.MEL_MAX_HZ);
        p.put("floor", LogMelCodec.FLOOR);
        p.put("mean", grid.mean());
        p.put("std", grid.std());
        p.put("latent_shape", grid.latentShape());
        p.put("patch", new int[] {grid.patch().patchHeight(), grid.patch().patchWidth()});
        if (grid.pool() != 1) {   // the fine grid's directories predate pooling: theirs have neither field
            p.put("grid", grid.name());
            p.put("pool", grid.pool());
        }
        return Collections.unmodifiableMap(p);
    }

    /** Writes {@code config.json} for the codec on {@code grid} into {@code directory}, creating it. */
    public static void write(Path directory, LogMelGrid grid) {
        ObjectNode node = JSON.valueToTree(parameters(grid));
        node.put("plugin_version", AudioPlugin.VERSION);
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(CONFIG), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audio codec to " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The codec a directory describes; a missing, malformed or different config is refused by name. */
    public static LogMelCodec load(Path directory) {
        Path config = directory.resolve(CONFIG);
        if (!Files.isRegularFile(config)) {
            throw new PluginException("audio codec directory " + directory + " has no " + CONFIG);
        }
        JsonNode node;
        try {
            node = JSON.readTree(config.toFile());
        } catch (IOException e) {
            throw new PluginException(config + " is not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new PluginException(config + ": expected a JSON object");
        }
        LogMelGrid grid;
        try {
            grid = node.has("grid") ? LogMelGrid.named(node.get("grid").asText()) : LogMelGrid.FINE;
        } catch (PluginException e) {
            throw new PluginException(config + ": " + e.getMessage(), e);
        }
        Map<String, Object> parameters = parameters(grid);
        JsonNode expected = JSON.valueToTree(parameters);
        for (Map.Entry<String, Object> p : parameters.entrySet()) {
            JsonNode want = expected.get(p.getKey()), got = node.get(p.getKey());
            if (got == null) {
                throw new PluginException(config + ": missing field '" + p.getKey() + "' (expected " + want + ")");
            }
            boolean same = want.isNumber() && got.isNumber() ? want.doubleValue() == got.doubleValue() : want.equals(got);
            if (!same) {
                throw new PluginException(config + ": field '" + p.getKey() + "' is " + got + ", this build's audio codec ("
                        + grid.name() + " grid) has " + want);
            }
        }
        return new LogMelCodec(grid);
    }
}
