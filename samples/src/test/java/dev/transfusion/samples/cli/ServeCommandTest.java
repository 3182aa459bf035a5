package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code transfusion serve}'s option handling and failures; serving itself is tested in grpc-server
 * (ServerLauncher, SIGTERM drain, a real model on loopback).
 */
class ServeCommandTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TransfusionCli.run(Terminal.of(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
                args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpNamesTheOptions() {
        Result r = run("serve", "--help");
        assertEquals(0, r.exit(), r.err());
        for (String option : new String[] {"--model", "--host", "--port", "--max-concurrent", "--max-queued", "--token",
                "--tls-cert", "--tls-key", "--http-port"}) {
            assertTrue(r.out().contains(option), option + " in:\n" + r.out());
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        Result missing = run("serve");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--model"), missing.err());
        Result port = run("serve", "--model", "m", "--port", "70000");
        assertEquals(2, port.exit());
        assertTrue(port.err().contains("--port must be 0..65535, got 70000"), port.err());
        Result http = run("serve", "--model", "m", "--http-port", "-1");
        assertEquals(2, http.exit());
        assertTrue(http.err().contains("--http-port must be 0..65535, got -1"), http.err());
        Result tls = run("serve", "--model", "m", "--port", "0", "--tls-cert", "c.pem");
        assertEquals(2, tls.exit());
        assertTrue(tls.err().contains("--tls-cert and --tls-key go together"), tls.err());
        Result limit = run("serve", "--model", "m", "--max-concurrent", "0");
        assertEquals(2, limit.exit());
        assertTrue(limit.err().contains("--max-concurrent must be at least 1, got 0"), limit.err());
    }

    @Test
    void aMissingModelFailsWithItsPath(@TempDir Path dir) {
        Path model = dir.resolve("no-model");
        Result r = run("serve", "--model", model.toString(), "--port", "0");
        assertEquals(1, r.exit(), r.err());
        // once: checked before the server starts (its loader would log it and the launcher print it again)
        assertEquals("error: model directory " + model + " does not exist", r.err().strip());
        assertEquals("", r.out());
    }
}
