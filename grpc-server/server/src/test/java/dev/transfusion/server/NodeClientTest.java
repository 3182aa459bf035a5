package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.transfusion.server.ServerHarness.Transport;
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
 * A client in a language we did not write the stubs for: Node's {@code @grpc/grpc-js} loads transfusion.proto at
 * run time and calls Generate and Caption on a real server on loopback. The test fails, never skips, when node
 * is missing. It runs {@code npm ci} in {@code src/test/node} the first time (node_modules is not committed).
 */
class NodeClientTest {
    private static final Path NODE_DIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("src/test/node");

    @Test
    void nodeClientCallsGenerateAndCaption(@TempDir Path dir) throws Exception {
        requireNode();
        installPackages();
        Path png = dir.resolve("prompt.png");
        Files.write(png, ImageDataCodec.encode(FakeModel.solid(5, 7, 0xff0000)).getData().toByteArray());
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0), b -> b.bearerToken("node-t"))) {
            Result r = run(List.of("node", "client.js", "127.0.0.1:" + h.server.port(), png.toString(), "node-t"), 60);
            assertEquals(0, r.exitCode, "node client failed:\n" + r.output);
            assertEquals(List.of(
                    "PROGRESS 1/3",
                    "PROGRESS 2/3",
                    "PROGRESS 3/3",
                    "IMAGE image/png 4x4",
                    "TEXT  here it is",
                    "FINISHED end_of_sequence images=1 seed=255",
                    "CAPTION a red square 5x7",
                    "ERROR INVALID_ARGUMENT image.data (12 bytes) is not a PNG or JPEG image",
                    "PROGRESS audio",
                    "PART audio audio/wav RIFF",
                    "CAPTION a audio part of 2 values",
                    "DONE"), r.output.lines().toList());
        }
    }

    private static void requireNode() throws InterruptedException {
        try {
            Result r = run(List.of("node", "--version"), 30);
            if (r.exitCode != 0) {
                fail("'node --version' exited " + r.exitCode + ": " + r.output);
            }
        } catch (IOException e) {
            fail("node is not installed, and this test needs it to run a client in another language "
                    + "(Debian: apt-get install -y nodejs npm): " + e.getMessage());
        }
    }

    private static void installPackages() throws IOException, InterruptedException {
        if (Files.isDirectory(NODE_DIR.resolve("node_modules/@grpc/grpc-js"))
                && Files.isDirectory(NODE_DIR.resolve("node_modules/@grpc/proto-loader"))) {
            return;
        }
        Result r = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        assertTrue(r.exitCode == 0, "npm ci in " + NODE_DIR + " failed:\n" + r.output);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        // output to a file, not a pipe: a chatty npm cannot block on a full pipe buffer
        Path log = Files.createTempFile("node-client-test", ".log");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).directory(NODE_DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
