package dev.transfusion.plugins.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.transfusion.api.CheckpointException;
import dev.transfusion.core.io.AtomicDirectory;
import dev.transfusion.core.io.Manifest;
import dev.transfusion.core.io.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The on-disk form of an image codec, the same idea as a model checkpoint:
 * <pre>
 * config.json            {"codec": "vae" | "pixels", ...}: which codec and its settings
 * weights/NAME.npy       parameters (VAE only), float32 in SameDiff's layout
 * optimizer/m/NAME.npy   AdamW moments (only while training; lets --resume continue exactly)
 * optimizer/v/NAME.npy
 * training-state.json    step, seed and schedule (only while training)
 * manifest.json          {"format": "transfusion-image-codec", "version": 1, "files": {path: sha256}}
 * </pre>
 * Written atomically (a crash leaves the previous directory intact); read back only when the format,
 * version and every listed file's checksum match ({@link Manifest}, as model directories and checkpoints),
 * and every error names the file.
 */
final class CodecDirectory {
    static final String FORMAT = "transfusion-image-codec";
    static final int VERSION = 1;
    static final String CONFIG = "config.json";
    static final String MANIFEST = Manifest.FILE;
    static final String STATE = "training-state.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What a codec directory holds.
     *
     * @param config        config.json's text
     * @param weights       parameters by name (empty for the pixel codec)
     * @param firstMoments  AdamW m by name, empty when saved without optimizer state
     * @param secondMoments AdamW v by name
     * @param trainingState training-state.json's text, or null
     */
    record Contents(String config, Map<String, float[]> weights, Map<String, float[]> firstMoments,
                    Map<String, float[]> secondMoments, @Nullable String trainingState) {
    }

    private CodecDirectory() {
    }

    /** Writes {@code c} to {@code dir} atomically; {@code shapes} gives every tensor's shape. */
    static void write(Path dir, Contents c, Map<String, long[]> shapes) {
        AtomicDirectory.write(dir, tmp -> {
            Files.writeString(tmp.resolve(CONFIG), c.config());
            writeTensors(tmp.resolve("weights"), c.weights(), shapes);
            if (!c.firstMoments().isEmpty()) {
                writeTensors(tmp.resolve("optimizer/m"), c.firstMoments(), shapes);
                writeTensors(tmp.resolve("optimizer/v"), c.secondMoments(), shapes);
            }
            if (c.trainingState() != null) {
                Files.writeString(tmp.resolve(STATE), c.trainingState());
            }
            Manifest.write(tmp, FORMAT, VERSION);
        });
    }

    private static void writeTensors(Path dir, Map<String, float[]> tensors, Map<String, long[]> shapes)
            throws IOException {
        if (tensors.isEmpty()) {
            return;
        }
        Files.createDirectories(dir);
        for (var e : tensors.entrySet()) {
            long[] shape = shapes.get(e.getKey());
            if (shape == null) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " has no shape");
            }
            NpyArray.writeTensor(dir.resolve(e.getKey() + ".npy"), shape, e.getValue());
        }
    }

    /** Checks the manifest and every checksum, then returns config.json's text. */
    static String verify(Path dir) {
        verifiedFiles(dir);
        return readConfig(dir);
    }

    private static String readConfig(Path dir) {
        try {
            return Files.readString(dir.resolve(CONFIG));
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + dir.resolve(CONFIG) + ": " + e.getMessage(), e);
        }
    }

    /** Checks the manifest and every checksum; returns the files it lists (relative, '/'-separated). */
    private static Set<String> verifiedFiles(Path dir) {
        Set<String> listed = Manifest.verify(dir, FORMAT, VERSION);
        if (!listed.contains(CONFIG)) {
            throw new CheckpointException(dir.resolve(MANIFEST) + ": no checksum for " + CONFIG);
        }
        return listed;
    }

    /**
     * Reads a verified directory's contents: the tensors that {@code shapesOf(config.json text)} names, under
     * weights/ and (if present) optimizer/.
     */
    static Contents read(Path dir, Function<String, Map<String, long[]>> shapesOf) {
        Set<String> listed = verifiedFiles(dir);
        String config = readConfig(dir);
        Map<String, long[]> shapes = shapesOf.apply(config);
        Map<String, float[]> weights = readTensors(dir, "weights", shapes, listed);
        Map<String, float[]> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
        if (Files.isDirectory(dir.resolve("optimizer"))) {
            m = readTensors(dir, "optimizer/m", shapes, listed);
            v = readTensors(dir, "optimizer/v", shapes, listed);
        }
        String state = null;
        if (Files.isRegularFile(dir.resolve(STATE))) {
            try {
                state = Files.readString(dir.resolve(STATE));
            } catch (IOException e) {
                throw new CheckpointException("cannot read " + dir.resolve(STATE) + ": " + e.getMessage(), e);
            }
        }
        return new Contents(config, weights, m, v, state);
    }

    private static Map<String, float[]> readTensors(Path dir, String sub, Map<String, long[]> shapes,
                                                    Set<String> listed) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : shapes.entrySet()) {
            String rel = sub + "/" + e.getKey() + ".npy";
            Path f = dir.resolve(rel);
            if (Files.isRegularFile(f) && !listed.contains(rel)) {
                throw new CheckpointException("codec file " + f + " is not listed in " + dir.resolve(MANIFEST)
                        + ", so its checksum cannot be checked");
            }
            out.put(e.getKey(), NpyArray.readTensor(f, e.getValue()));
        }
        return out;
    }
}
