package dev.transfusion.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transfusion.api.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code manifest.json}: a directory's format name, format version and the SHA-256 of every file in it.
 * Written last, so a directory with a valid manifest is complete; verified first, so a truncated, edited
 * or foreign file is refused with its name before anything is parsed.
 */
public final class Manifest {
    /** The manifest's file name. */
    public static final String FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Manifest() {
    }

    /** Checksums every file under {@code dir} and writes the manifest. */
    public static void write(Path dir, String format, int version) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                if (!name.equals(FILE)) {
                    sums.put(name, Sha256.of(f));
                }
            }
        }
        ObjectNode manifest = JSON.createObjectNode().put("format", format).put("version", version);
        manifest.set("files", JSON.valueToTree(sums));
        Files.writeString(dir.resolve(FILE), JSON.writeValueAsString(manifest));
    }

    /**
     * Checks the format, the version and every file's checksum.
     *
     * @return the files the manifest lists (relative, '/'-separated), each verified
     * @throws CheckpointException naming the first file that is missing, corrupt or of the wrong format
     */
    public static Set<String> verify(Path dir, String format, int version) {
        return verify(dir, format, version, version);
    }

    /** As {@link #verify(Path, String, int)}, for a reader of every version from {@code oldest} to {@code newest}. */
    public static Set<String> verify(Path dir, String format, int oldest, int newest) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(format + " directory " + dir + " does not exist");
        }
        Path manifestFile = dir.resolve(FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new CheckpointException(dir + " is not a " + format + " directory: " + manifestFile + " is missing");
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(manifestFile.toFile());
        } catch (IOException e) {
            throw new CheckpointException(manifestFile + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!format.equals(manifest.path("format").asText())) {
            throw new CheckpointException(manifestFile + ": format is '" + manifest.path("format").asText()
                    + "', expected '" + format + "'");
        }
        int found = manifest.path("version").asInt(-1);
        if (found < oldest || found > newest) {
            throw new CheckpointException(manifestFile + ": format version " + found + " is not supported (this "
                    + "build reads version" + (oldest == newest ? " " + newest : "s " + oldest + " to " + newest) + ")");
        }
        JsonNode files = manifest.path("files");
        if (!files.isObject() || files.isEmpty()) {
            throw new CheckpointException(manifestFile + ": no 'files' checksums");
        }
        Path root = dir.toAbsolutePath().normalize();
        Set<String> listed = new TreeSet<>();
        for (var it = files.fields(); it.hasNext(); ) {
            var e = it.next();
            listed.add(e.getKey());
            Path f = root.resolve(e.getKey()).normalize();
            if (!f.startsWith(root)) {
                throw new CheckpointException(manifestFile + " names a file outside the directory: " + e.getKey());
            }
            if (!Files.isRegularFile(f)) {
                throw new CheckpointException("file " + f + " is missing");
            }
            try {
                if (!Sha256.of(f).equals(e.getValue().asText())) {
                    throw new CheckpointException("file " + f + " is corrupt: its SHA-256 does not match " + manifestFile);
                }
            } catch (IOException ex) {
                throw new CheckpointException("cannot read " + f + ": " + ex.getMessage(), ex);
            }
        }
        return listed;
    }
}
