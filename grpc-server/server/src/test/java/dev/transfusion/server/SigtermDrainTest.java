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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server process told to stop with SIGTERM reports NOT_SERVING, refuses new calls after its drain notice,
 * finishes the call in flight, and exits 0.
 */
class SigtermDrainTest {

    @Test
    void sigtermDrainsTheCallInFlight() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of())) {
            int p = server.awaitPort();
            try (TransfusionClient client = TransfusionClient.connect("127.0.0.1", p)) {
                CountDownLatch firstStep = new CountDownLatch(1);
                CompletableFuture<GenerationResult> inFlight = client.generateAsync(Document.text("x"),
                        GenerationOptions.builder().mode(Mode.IMAGE).diffusionSteps(500).build(),   // about 5 s
                        GenerationListener.ofDiffusion(s -> firstStep.countDown()));
                assertTrue(firstStep.await(20, TimeUnit.SECONDS), "the image started");
                ManagedChannel probe = NettyChannelBuilder.forAddress("127.0.0.1", p).usePlaintext().build();
                try {
                    assertEquals(ServingStatus.SERVING, health(probe));
                    assertTrue(server.sigterm(), "SIGTERM sent");
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
            int exit = server.awaitExit();
            assertTrue(server.output().contains("shutting down: draining calls in flight"), server.output());
            // not 143 (128 + SIGTERM, the JVM's own status on a signal): a drained stop is a clean exit
            assertEquals(0, exit, server.output());
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
