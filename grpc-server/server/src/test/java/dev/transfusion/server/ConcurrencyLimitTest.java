package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.GenerationOptions;
import dev.transfusion.server.ServerHarness.Transport;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.GetModelInfoRequest;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Past the running limit and the queue, calls fail at once with RESOURCE_EXHAUSTED. */
class ConcurrencyLimitTest {
    private static final GenerateRequest SLOW = GenerateRequest.newBuilder()
            .addPrompt(Chunk.newBuilder().setText("draw slowly")).build();

    @Test
    void resourceExhaustedPastTheLimitAndServedAgainAfter() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(10, 0), b -> b.limits(1, 1))) {
            Context.CancellableContext first = Context.current().withCancellation();
            Context.CancellableContext second = Context.current().withCancellation();
            first.run(() -> h.async().generate(SLOW, new NoopObserver<>()));
            assertTrue(h.model.started.tryAcquire(5, TimeUnit.SECONDS));
            second.run(() -> h.async().generate(SLOW, new NoopObserver<>()));
            Await.until(() -> h.server.limiter().queued() == 1, Duration.ofSeconds(5), "one running, one queued");

            CaptionRequest caption = CaptionRequest.newBuilder()
                    .setImage(ImageDataCodec.encode(FakeModel.solid(2, 2, 0))).build();
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> h.blocking().caption(caption));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("1 concurrent, 1 queued"), e.getStatus().getDescription());
            // model info needs no slot: still answered while the model is busy
            assertEquals("fake", h.blocking().getModelInfo(GetModelInfoRequest.getDefaultInstance()).getName());

            first.cancel(null);
            second.cancel(null);
            Await.until(() -> h.server.limiter().running() == 0 && h.server.limiter().queued() == 0,
                    Duration.ofSeconds(5), "both calls gone");
            assertEquals("a red square 2x2", h.blocking().caption(caption).getText());
        }
    }

    @Test
    void severalSlotsRunInParallel() throws Exception {
        FakeModel model = new FakeModel(0, 300);   // about 1 s a call: the three overlap even on a busy machine
        try (ServerHarness h = ServerHarness.start(Transport.IN_PROCESS, model, b -> b.limits(3, 0));
             TransfusionClient client = h.client()) {
            var futures = java.util.stream.IntStream.range(0, 3).mapToObj(i -> client.generateAsync(
                    dev.transfusion.api.Document.text("n" + i), GenerationOptions.DEFAULTS,
                    dev.transfusion.api.GenerationListener.NONE)).toList();
            for (int i = 0; i < 3; i++) {
                assertEquals("echo: n" + i, futures.get(i).get(60, TimeUnit.SECONDS).text());
            }
            assertEquals(3, model.maxRunning.get(), "three slots, three at once");
        }
    }
}
