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
 * The audio codec's directory: a {@code config.json} naming the codec and its parameters. The codec is
 * frozen and has no weights, so the file is a record of what a model was trained with; loading refuses any
 * parameter that differs from this build's codec, since its latents would mean something else.
 */
public final class CodecDirectory {
    /** The config file's name. */
    public static final String CONFIG = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every parameter, as written and as expected on loading. */
    private static final Map<String, Object> PARAMETERS = parameters();

    private CodecDirectory() {
    }

    private static Map<String, Object> parameters() {
        LinkedHashMap<String, Object> p = new LinkedHashMap<>();
        p.put("codec", LogMelCodec.CODEC);
        p.put("sample_rate", AudioClip.SAMPLE_RATE);
        p.put("samples", LogMelCodec.SAMPLES);
        p.put("frame", LogMelCodec.FRAME);
        p.put("hop", LogMelCodec.HOP);
        p.put("mels", LogMelCodec.MELS);
        p.put("mel_min_hz", LogMelCodec.MEL_MIN_HZ);
        p.put("mel_max_hz", LogMelCodec.MEL_MAX_HZ);
        p.put("floor", LogMelCodec.FLOOR);
        p.put("mean", LogMelCodec.MEAN);
        p.put("std", LogMelCodec.STD);
        p.put("latent_shape", new int[] {1, LogMelCodec.MELS, LogMelCodec.FRAMES});
        p.put("patch", new int[] {LogMelCodec.PATCH.patchHeight(), LogMelCodec.PATCH.patchWidth()});
        return Collections.unmodifiableMap(p);
    }

    /** Writes {@code config.json} into {@code directory}, creating it. */
    public static void write(Path directory) {
        ObjectNode node = JSON.valueToTree(PARAMETERS);
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
        JsonNode expected = JSON.valueToTree(PARAMETERS);
        for (Map.Entry<String, Object> p : PARAMETERS.entrySet()) {
            JsonNode want = expected.get(p.getKey()), got = node.get(p.getKey());
            if (got == null) {
                throw new PluginException(config + ": missing field '" + p.getKey() + "' (expected " + want + ")");
            }
            boolean same = want.isNumber() && got.isNumber() ? want.doubleValue() == got.doubleValue() : want.equals(got);
            if (!same) {
                throw new PluginException(config + ": field '" + p.getKey() + "' is " + got + ", this build's audio codec has "
                        + want);
            }
        }
        return new LogMelCodec();
    }
}
