package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.Document;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.Mode;
import dev.transfusion.server.ServerHarness.Transport;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.Diffusion;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Client cancellation, disconnects and deadlines stop the model within a step and free its slot. */
class CancellationTest {
    private static final GenerateRequest LONG_IMAGE = GenerateRequest.newBuilder()
            .addPrompt(Chunk.newBuilder().setText("a slow picture"))
            .setMode(dev.transfusion.server.v1.Mode.MODE_IMAGE)
            .setDiffusion(Diffusion.newBuilder().setSteps(1000)).build();   // 20 s at 20 ms a step

    private static final CaptionRequest CAPTION = CaptionRequest.newBuilder()
            .setImage(ImageDataCodec.encode(FakeModel.solid(3, 3, 0))).build();

    @Test
    void clientCancellationMidImageFreesTheSlot() throws Exception {
        // one slot and no queue: the next call is served only if the cancelled one let go of the slot
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(20, 0), b -> b.limits(1, 0))) {
            Context.CancellableContext call = Context.current().withCancellation();
            Context previous = call.attach();
            try {
                Iterator<GenerateEvent> events = h.blocking().generate(LONG_IMAGE);
                for (int i = 0; i < 3; i++) {
                    assertTrue(events.next().hasProgress());
                }
            } finally {
                call.detach(previous);
            }
            long cancelledAt = System.nanoTime();
            call.cancel(null);
            Await.until(() -> h.model.cancelled.get() == 1, Duration.ofSeconds(5), "the model sees the cancellation");
            Await.until(() -> h.server.limiter().running() == 0, Duration.ofSeconds(5), "the slot is free");
            long stoppedMillis = (System.nanoTime() - cancelledAt) / 1_000_000;
            assertTrue(stoppedMillis < 5000, "stopped long before the 20 s image would end, took " + stoppedMillis + " ms");
            assertEquals("a red square 3x3", h.blocking().caption(CAPTION).getText(), "next call served");
        }
    }

    @Test
    void aClientThatDisconnectsMidStreamFreesTheSlot() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(20, 0), b -> b.limits(1, 0))) {
            // a client of its own that goes away without cancelling: its connection is simply closed
            ManagedChannel gone = NettyChannelBuilder.forAddress("127.0.0.1", h.server.port()).usePlaintext().build();
            Iterator<GenerateEvent> events = TransfusionGrpc.newBlockingStub(gone).generate(LONG_IMAGE);
            for (int i = 0; i < 3; i++) {
                assertTrue(events.next().hasProgress());
            }
            gone.shutdownNow();
            Await.until(() -> h.model.cancelled.get() == 1, Duration.ofSeconds(5), "the model sees the disconnect");
            Await.until(() -> h.server.limiter().running() == 0, Duration.ofSeconds(5), "the slot is free");
            assertEquals("a red square 3x3", h.blocking().caption(CAPTION).getText(), "next call served");
        }
    }

    @Test
    void javaClientCancellationStopsTheServer() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.IN_PROCESS, new FakeModel(10, 0), b -> b.limits(1, 0));
             TransfusionClient client = h.client()) {
            Cancellation cancel = new Cancellation();
            AtomicInteger steps = new AtomicInteger();
            GenerationResult r = client.generate(Document.text("x"),
                    GenerationOptions.builder().mode(Mode.IMAGE).diffusionSteps(1000).build(),
                    GenerationListener.ofDiffusion((DiffusionStep s) -> {
                        if (steps.incrementAndGet() == 4) {
                            cancel.cancel();
                        }
                    }), cancel);
            assertEquals(FinishReason.CANCELLED, r.finishReason());
            assertTrue(r.images().isEmpty());
            Await.until(() -> h.model.cancelled.get() == 1, Duration.ofSeconds(5), "the server model is cancelled");
            Await.until(() -> h.server.limiter().running() == 0, Duration.ofSeconds(5), "the slot is free");
            assertEquals("a red square 3x3", client.caption(FakeModel.solid(3, 3, 0), GenerationOptions.DEFAULTS));
        }
    }

    @Test
    void deadlineExceededStopsTheModel() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(20, 0), b -> b.limits(1, 0))) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () ->
                    h.blocking().withDeadlineAfter(300, TimeUnit.MILLISECONDS).generate(LONG_IMAGE)
                            .forEachRemaining(x -> { }));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
            Await.until(() -> h.model.cancelled.get() == 1, Duration.ofSeconds(5), "the deadline reaches the model");
            Await.until(() -> h.server.limiter().running() == 0, Duration.ofSeconds(5), "the slot is free");
            assertEquals("a red square 3x3", h.blocking().caption(CAPTION).getText());
        }
    }

    @Test
    void unaryDeadlineStopsDecoding() throws Exception {
        FakeModel slow = new FakeModel(0, 400);   // the caption has 4 words: 1.6 s
        try (ServerHarness h = ServerHarness.start(Transport.IN_PROCESS, slow, b -> b.limits(1, 0))) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () ->
                    h.blocking().withDeadlineAfter(200, TimeUnit.MILLISECONDS).caption(CAPTION));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
            Await.until(() -> slow.cancelled.get() == 1, Duration.ofSeconds(5), "the caption is cancelled");
        }
    }

    @Test
    void aCallCancelledWhileQueuedLeavesTheQueue() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.IN_PROCESS, new FakeModel(20, 0), b -> b.limits(1, 1))) {
            Context.CancellableContext first = Context.current().withCancellation();
            Context.CancellableContext second = Context.current().withCancellation();
            first.run(() -> h.async().generate(LONG_IMAGE, new NoopObserver<>()));
            assertTrue(h.model.started.tryAcquire(5, TimeUnit.SECONDS));
            second.run(() -> h.async().generate(LONG_IMAGE, new NoopObserver<>()));
            Await.until(() -> h.server.limiter().queued() == 1, Duration.ofSeconds(5), "the second call waits");
            second.cancel(null);
            Await.until(() -> h.server.limiter().queued() == 0, Duration.ofSeconds(5), "it leaves the queue");
            first.cancel(null);
            Await.until(() -> h.server.limiter().running() == 0, Duration.ofSeconds(5), "the slot is free");
            assertEquals(1, h.model.generateCalls.get(), "the withdrawn call never ran");
        }
    }
}
