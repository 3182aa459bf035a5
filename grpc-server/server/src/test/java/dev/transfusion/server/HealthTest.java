package dev.transfusion.server;

import static io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING;
import static io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.CheckpointException;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.Mode;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** grpc.health.v1: NOT_SERVING while loading, SERVING once loaded, NOT_SERVING from the start of a drain. */
class HealthTest {
    private static final String SERVICE = TransfusionGrpc.SERVICE_NAME;

    @Test
    void loadingThenServingThenDraining() throws Exception {
        FakeModel model = new FakeModel(10, 0);
        CountDownLatch release = new CountDownLatch(1);
        String name = "health-" + UUID.randomUUID();
        TransfusionServer server = TransfusionServer.builder().inProcess(name)
                .modelLoader(() -> {
                    await(release);
                    return model;
                })
                .shutdownTimings(Duration.ofSeconds(1), Duration.ofSeconds(60))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            assertEquals(NOT_SERVING, health(channel, ""));
            assertEquals(NOT_SERVING, health(channel, SERVICE));
            StatusRuntimeException loading = assertThrows(StatusRuntimeException.class, () ->
                    TransfusionGrpc.newBlockingStub(channel).generate(GenerateRequest.newBuilder()
                            .addPrompt(Chunk.newBuilder().setText("hi")).build()).hasNext());
            assertEquals(Status.Code.UNAVAILABLE, loading.getStatus().getCode());
            assertTrue(loading.getStatus().getDescription().contains("still loading"));

            release.countDown();
            server.awaitReady();
            assertEquals(SERVING, health(channel, ""));
            assertEquals(SERVING, health(channel, SERVICE));

            // a 3 s image in flight when the drain starts (1 s of notice, then no new calls): it must finish, and health must flip at once
            TransfusionClient client = TransfusionClient.over(channel);
            CompletableFuture<GenerationResult> inFlight = client.generateAsync(Document.text("x"),
                    GenerationOptions.builder().mode(Mode.IMAGE).diffusionSteps(300).build(), GenerationListener.NONE);
            assertTrue(model.started.tryAcquire(5, TimeUnit.SECONDS));
            Thread drain = new Thread(server::shutdown);
            drain.start();
            Await.until(() -> !server.isServing(), Duration.ofSeconds(2), "draining starts");
            assertEquals(NOT_SERVING, health(channel, ""));
            assertEquals(NOT_SERVING, health(channel, SERVICE));
            GenerationResult drained = inFlight.get(60, TimeUnit.SECONDS);
            assertEquals(1, drained.images().size(), "the call in flight completed during the drain");
            drain.join(60_000);
            assertFalse(drain.isAlive());
            assertTrue(model.closed, "the server closes the model it loaded");
        } finally {
            channel.shutdownNow();
            server.shutdown();
        }
    }

    @Test
    void aModelThatFailsToLoadKeepsTheServerNotServing() throws Exception {
        String name = "health-fail-" + UUID.randomUUID();
        TransfusionServer server = TransfusionServer.builder().inProcess(name)
                .modelLoader(() -> {
                    throw new CheckpointException("model directory /nowhere does not exist");
                })
                .shutdownTimings(Duration.ZERO, Duration.ofSeconds(1))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, server::awaitReady);
            assertEquals("the model failed to load: model directory /nowhere does not exist", e.getMessage());
            assertEquals(NOT_SERVING, health(channel, SERVICE));
        } finally {
            channel.shutdownNow();
            server.shutdown();
        }
    }

    private static ServingStatus health(ManagedChannel channel, String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
