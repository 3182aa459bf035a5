package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.Mode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A server process told to stop with SIGTERM finishes the call in flight before it exits. */
class SigtermDrainTest {
    private static final Pattern READY = Pattern.compile("Transfusion server listening on 127\\.0\\.0\\.1:(\\d+) \\(.*\\)");

    @Test
    void sigtermDrainsTheCallInFlight() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process server = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), FakeServerMain.class.getName()))
                .redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    Matcher m = READY.matcher(line);
                    if (m.matches()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (java.io.IOException e) {
                port.completeExceptionally(e);
            }
        });
        reader.start();
        try {
            int p = port.get(60, TimeUnit.SECONDS);
            try (TransfusionClient client = TransfusionClient.connect("127.0.0.1", p)) {
                CountDownLatch firstStep = new CountDownLatch(1);
                CompletableFuture<GenerationResult> inFlight = client.generateAsync(Document.text("x"),
                        GenerationOptions.builder().mode(Mode.IMAGE).diffusionSteps(100).build(),   // about 1 s
                        GenerationListener.ofDiffusion(s -> firstStep.countDown()));
                assertTrue(firstStep.await(20, TimeUnit.SECONDS), "the image started");
                // SIGTERM through the handle: Process.destroy() would also close our end of its output
                assertTrue(server.toHandle().destroy(), "SIGTERM sent");
                GenerationResult r = inFlight.get(30, TimeUnit.SECONDS);
                assertEquals(1, r.images().size(), "the call in flight was drained, not cut");
            }
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server exits after draining");
            reader.join(5000);
            synchronized (output) {
                assertTrue(output.toString().contains("shutting down: draining calls in flight"), output.toString());
            }
            // 143 = 128 + SIGTERM: the JVM's exit status after its shutdown hooks ran on a signal
            assertEquals(143, server.exitValue(), output.toString());
        } finally {
            server.destroyForcibly();
        }
    }
}
