package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.Mode;
import dev.transfusion.server.v1.GetModelInfoRequest;
import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A server process told to stop with SIGTERM reports NOT_SERVING, refuses new calls after its drain notice,
 * finishes the call in flight, and exits 0.
 */
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
                        GenerationOptions.builder().mode(Mode.IMAGE).diffusionSteps(500).build(),   // about 5 s
                        GenerationListener.ofDiffusion(s -> firstStep.countDown()));
                assertTrue(firstStep.await(20, TimeUnit.SECONDS), "the image started");
                ManagedChannel probe = NettyChannelBuilder.forAddress("127.0.0.1", p).usePlaintext().build();
                try {
                    assertEquals(ServingStatus.SERVING, health(probe));
                    // SIGTERM through the handle: Process.destroy() would also close our end of its output
                    assertTrue(server.toHandle().destroy(), "SIGTERM sent");
                    // health flips at once; after the 1 s notice, new calls are refused while the image goes on
                    Await.until(() -> health(probe) == ServingStatus.NOT_SERVING, Duration.ofSeconds(5),
                            "health NOT_SERVING during the drain notice");
                    Await.until(() -> refused(probe), Duration.ofSeconds(10), "new calls refused");
                    assertFalse(inFlight.isDone(), "new calls are refused while the call in flight still runs");
                } finally {
                    probe.shutdownNow();
                }
                GenerationResult r = inFlight.get(30, TimeUnit.SECONDS);
                assertEquals(1, r.images().size(), "the call in flight was drained, not cut");
            }
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server exits after draining");
            reader.join(5000);
            synchronized (output) {
                assertTrue(output.toString().contains("shutting down: draining calls in flight"), output.toString());
            }
            // not 143 (128 + SIGTERM, the JVM's own status on a signal): a drained stop is a clean exit
            assertEquals(0, server.exitValue(), output.toString());
        } finally {
            server.destroyForcibly();
        }
    }

    private static ServingStatus health(ManagedChannel channel) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    /** Whether a new call is refused with UNAVAILABLE; a call still accepted (the notice) answers normally. */
    private static boolean refused(ManagedChannel channel) {
        try {
            TransfusionGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getModelInfo(GetModelInfoRequest.getDefaultInstance());
            return false;
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
            return true;
        }
    }
}
