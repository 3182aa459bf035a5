package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.transfusion.api.ImageCodecs;
import dev.transfusion.api.RgbImage;
import dev.transfusion.server.ServerHarness.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code openai} npm client (pinned in {@code src/test/openai-node}) against the HTTP port of a
 * real server on loopback: it generates images, streams a chat completion about an image, lists models and
 * gets OpenAI's error classes for bad requests. Fails, never skips, when node is missing; runs {@code npm ci}
 * the first time (node_modules is not committed).
 */
class OpenAiNodeClientTest {
    private static final Path DIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("src/test/openai-node");

    @Test
    void openaiClientGeneratesStreamsListsAndGetsErrors(@TempDir Path dir) throws Exception {
        requireNode();
        installPackages();
        Path png = dir.resolve("prompt.png");
        Files.write(png, ImageDataCodec.encode(FakeModel.solid(5, 7, 0xff0000)).getData().toByteArray());
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0),
                b -> b.bearerToken("openai-t").httpPort(0))) {
            Result r = run(List.of("node", "client.js", "http://127.0.0.1:" + h.server.httpPort() + "/v1",
                    png.toString(), "openai-t"), 60);
            assertEquals(0, r.exitCode, "openai client failed:\n" + r.output);
            List<String> lines = r.output.lines().toList();
            // two images, seeds 255 and 256: FakeModel paints each in its seed's colour
            assertEquals(0x0000ff, pixel(lines.get(0), "IMAGE "), r.output);
            assertEquals(0x000100, pixel(lines.get(1), "IMAGE "), r.output);
            assertEquals(List.of(
                    "CHAT chunks=4 finish=stop completion_tokens=4 answer: what is it?",
                    "CAPTION stop a red square 5x7",
                    "MODEL fake model",
                    "ERROR BadRequestError 400 invalid_request_error size 'size' 512x512 is not one this model "
                            + "draws: 'fake' draws 4x4 images",
                    "ERROR NotFoundError 404 model_not_found model",
                    "ERROR AuthenticationError 401 invalid bearer token",
                    "DONE"), lines.subList(2, lines.size()), r.output);
        }
    }

    private static int pixel(String line, String prefix) {
        assertTrue(line.startsWith(prefix), line);
        RgbImage image = ImageCodecs.decode(Base64.getDecoder().decode(line.substring(prefix.length())), "b64_json");
        assertEquals(4, image.width());
        assertEquals(4, image.height());
        return image.pixel(0, 0) & 0xffffff;
    }

    private static void requireNode() throws InterruptedException {
        try {
            Result r = run(List.of("node", "--version"), 30);
            if (r.exitCode != 0) {
                fail("'node --version' exited " + r.exitCode + ": " + r.output);
            }
        } catch (IOException e) {
            fail("node is not installed, and this test needs it to run the openai npm client "
                    + "(Debian: apt-get install -y nodejs npm): " + e.getMessage());
        }
    }

    private static void installPackages() throws IOException, InterruptedException {
        if (Files.isDirectory(DIR.resolve("node_modules/openai"))) {
            return;
        }
        Result r = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        assertTrue(r.exitCode == 0, "npm ci in " + DIR + " failed:\n" + r.output);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        // output to a file, not a pipe: a chatty npm cannot block on a full pipe buffer
        Path log = Files.createTempFile("openai-client-test", ".log");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).directory(DIR.toFile())
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
