package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.core.plugin.PluginDiscovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party's modality, as a user brings it (#14): the Kotlin {@code curve} plugin's jar, built against sdk-api
 * alone ({@code samples/kotlin-plugin}) and kept off this module's class path, dropped into a folder named by
 * {@code --plugins}. The command line lists it, makes its codec, trains on JSONL documents that name its files,
 * draws a curve, captions curve files, and saves and loads the model; without the folder the model names what
 * is missing. Each command runs in a child JVM, as a user's would.
 */
class OutOfTreePluginTest {
    /** Where the reactor built the plugin (this module depends on it for the build order only). */
    static final Path JAR = Path.of("kotlin-plugin/target/curve-plugin.jar").toAbsolutePath().normalize();

    record Result(int exit, String out) {
    }

    @Test
    void aPluginJarInThePluginsFolderIsListedTrainedDrawnCaptionedAndReloaded(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: the build makes it in the package phase of "
                + "samples/kotlin-plugin (mvn verify / package, not test alone)");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(JAR, plugins.resolve(JAR.getFileName()));
        String p = plugins.toString();

        Result listed = run(dir, "plugins", "--plugins", p);
        assertEquals(0, listed.exit(), listed.out());
        String line = listed.out().lines().filter(l -> l.startsWith("curve")).findFirst().orElse("");
        assertTrue(line.contains("continuous") && line.contains("<boc>") && line.contains("<eoc>")
                && line.contains("curve-plugin.jar"), listed.out());

        Path data = curves(Files.createDirectories(dir.resolve("data")), 16);
        Path codec = dir.resolve("codec");
        Result made = run(dir, "train-codec", "--modality", "curve", "--out", codec.toString(), "--plugins", p);
        assertEquals(0, made.exit(), made.out());
        Path run = dir.resolve("run");
        Result trained = run(dir, "train", "--data", data.toString(), "--codec", "curve=" + codec, "--preset", "tiny",
                "--steps", "6", "--batch", "4", "--warmup", "1", "--out", run.toString(), "--plugins", p);
        assertEquals(0, trained.exit(), trained.out());
        Path model = run.resolve("model");
        assertTrue(Files.isDirectory(model.resolve("codecs/curve")), "the curve codec travels with the model");
        assertTrue(Files.readString(model.resolve("config.json")).contains("\"name\" : \"curve\""));

        Path drawn = dir.resolve("drawn");
        Result generated = run(dir, "generate", "--model", model.toString(), "--modality", "curve", "--prompt",
                "a curve of frequency 2", "--steps", "3", "--out", drawn.toString(), "--plugins", p);
        assertEquals(0, generated.exit(), generated.out());
        List<String> samples = Files.readAllLines(drawn.resolve("0000.curve")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertEquals(64, samples.size(), "the plugin wrote a whole curve");
        assertTrue(Files.readString(drawn.resolve("manifest.tsv")).startsWith("0000.curve\ta curve of frequency 2"));

        Result captioned = run(dir, "caption", "--model", model.toString(), "--modality", "curve", "--inputs",
                data.getParent().toString(), "--max-tokens", "6", "--plugins", p);
        assertEquals(0, captioned.exit(), captioned.out());
        assertEquals(16, captioned.out().lines().filter(l -> l.matches("\\d{4}\\.curve\t.*")).count(), captioned.out());

        Result without = run(dir, "generate", "--model", model.toString(), "--modality", "curve", "--prompt", "x",
                "--out", dir.resolve("no").toString());
        assertEquals(1, without.exit(), without.out());
        assertTrue(without.out().toLowerCase(Locale.ROOT).contains("curve") && without.out().contains("--plugins"),
                without.out());
    }

    /** {@code n} sine curves of frequencies 1..4 and documents.jsonl captioning each. */
    static Path curves(Path dir, int n) throws IOException {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int f = 1 + i % 4;
            StringBuilder file = new StringBuilder("# a sine of frequency " + f + "\n");
            for (int k = 0; k < 64; k++) {
                file.append((float) (0.8 * Math.sin(2 * Math.PI * f * k / 64))).append('\n');
            }
            String name = String.format("%04d.curve", i);
            Files.writeString(dir.resolve(name), file);
            docs.add("{\"parts\": [{\"text\": \"a curve of frequency " + f + "\"}, {\"modality\": \"curve\", \"file\": \""
                    + name + "\"}]}");
        }
        Files.write(dir.resolve("documents.jsonl"), docs);
        return dir.resolve("documents.jsonl");
    }

    /** The command line in a child JVM on this JVM's class path (which does not hold the plugin). */
    static Result run(Path dir, String... args) throws Exception {
        List<String> c = KillResumeTest.command(List.of(args));
        Path log = Files.createTempFile(dir, "cli", ".log");
        ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove(PluginDiscovery.ENVIRONMENT);
        Process proc = pb.start();
        if (!proc.waitFor(300, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new AssertionError("'" + String.join(" ", args) + "' ran past 300 s:\n" + Files.readString(log));
        }
        return new Result(proc.exitValue(), Files.readString(log));
    }
}
