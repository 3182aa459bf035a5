package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Transfusion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./transfusion} script in a separate process: real exit codes, and nothing but results on
 * stdout. {@code TRANSFUSION_CLASSPATH} points it at the test class path, so that it runs without building.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).getParent().resolve("transfusion");

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    static Result launch(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("TRANSFUSION_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("TRANSFUSION_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
        Path err = Files.createTempFile("launcher", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher finished");
        String errText = Files.readString(err);
        Files.delete(err);
        return new Result(p.exitValue(), out, errText);
    }

    @Test
    void launcherRoundTripsTextWithCleanStdout() throws Exception {
        Path tokenizer = dir.resolve("tokenizer");
        Transfusion.registry().discrete("text")
                .trainTokenizer(List.of("hello world, hello tokens", "world of tokens"), 270, List.of())
                .save(tokenizer);

        Result encoded = launch("hello tokens\n", "tokenize", "--tokenizer", tokenizer.toString());
        assertEquals(0, encoded.exit(), encoded.err());
        assertTrue(encoded.out().matches("\\d+( \\d+)*\n"), "only ids on stdout: " + encoded.out());

        Result decoded = launch(encoded.out(), "tokenize", "--decode", "--tokenizer", tokenizer.toString());
        assertEquals(0, decoded.exit(), decoded.err());
        assertEquals("hello tokens\n", decoded.out());
    }

    @Test
    void launcherExitsWithUsageErrors() throws Exception {
        Result r = launch("", "no-such-command");
        assertEquals(2, r.exit(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains("Usage: transfusion"), r.err());
    }
}
