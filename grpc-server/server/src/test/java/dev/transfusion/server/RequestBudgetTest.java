package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.transfusion.server.ServerHarness.Transport;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.ImageData;
import dev.transfusion.server.v1.ImageScoreRequest;
import dev.transfusion.server.v1.Sampling;
import dev.transfusion.server.v1.ScoreRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Issue 19's cheap requests that cost the server dearly, each refused or bounded. */
class RequestBudgetTest {
    /** Client threads of their own: the common pool has a single thread on a two-core machine. */
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();

    private static CaptionRequest caption(ByteString image) {
        return CaptionRequest.newBuilder().setImage(ImageData.newBuilder().setData(image)).build();
    }

    private static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    @Test
    void aJpegBombIsRefusedFromItsHeaderWhileHealthStaysServing() throws Exception {
        ByteString bomb = TestImages.jpegBomb(4096, 1000);   // ~70 KB, 4096 x 4096, 1,000 empty scans
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0))) {
            List<CompletableFuture<StatusRuntimeException>> bombs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                bombs.add(CompletableFuture.supplyAsync(() -> assertThrows(StatusRuntimeException.class,
                        () -> h.blocking().caption(caption(bomb))), CLIENTS));
            }
            long start = System.nanoTime();
            assertEquals(ServingStatus.SERVING, h.health(""));   // a 5 s deadline: before, health timed out
            System.out.printf("RequestBudgetTest: health during two JPEG bombs answered in %.1f ms%n",
                    (System.nanoTime() - start) / 1e6);
            for (var f : bombs) {
                StatusRuntimeException e = f.get(60, TimeUnit.SECONDS);
                assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
                assertTrue(e.getStatus().getDescription().contains("more than 32 scans"), e.getStatus().toString());
            }
            assertEquals(0, h.model.generateCalls.get());
        }
    }

    @Test
    void slowDecodingRunsOutOfItsBudgetOffTheHealthThreads() throws Exception {
        // under the scan limit, so really decoded: seconds of work for 4096 x 4096 pixels and 30 scans
        ByteString slow = TestImages.jpegBomb(4096, 30 - 10);
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0), b -> b.budget(
                RequestBudget.DEFAULTS.withDecodeTime(Duration.ofMillis(200)).withDecoding(1, 0)))) {
            CompletableFuture<StatusRuntimeException> first = CompletableFuture.supplyAsync(() ->
                    assertThrows(StatusRuntimeException.class, () -> h.blocking().caption(caption(slow))), CLIENTS);
            Await.until(() -> first.isDone() || h.model.generateCalls.get() > 0 || decoding(), Duration.ofSeconds(10),
                    "the slow image to start decoding");
            long start = System.nanoTime();
            assertEquals(ServingStatus.SERVING, h.health(""));
            System.out.printf("RequestBudgetTest: health while a 4096x4096 progressive JPEG decodes answered in "
                    + "%.1f ms%n", (System.nanoTime() - start) / 1e6);
            StatusRuntimeException e = first.get(60, TimeUnit.SECONDS);
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
            assertTrue(e.getStatus().getDescription().contains("decoding the request's images took longer than "
                    + "the 200 ms"), e.getStatus().toString());
            assertEquals(0, h.model.generateCalls.get());
            assertEquals("a red square 2x2", h.blocking().caption(CaptionRequest.newBuilder()
                    .setImage(ImageDataCodec.encode(FakeModel.solid(2, 2, 0))).build()).getText(), "still serving");
        }
    }

    private static boolean decoding() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("transfusion-decode-")
                && !t.getName().contains("timer") && t.getState() == Thread.State.RUNNABLE);
    }

    @Test
    void aPixelBombIsRefusedBeforeDecodingAndMemoryStays() throws Exception {
        ByteString onebit = TestImages.onebitPng(8192);   // 64 Mi pixels in a few kilobytes
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0))) {
            long before = ResidentMemory.kib();
            // the bomb (24 images) meets the image count; 3 of them meet the pixel budget
            StatusRuntimeException many = assertThrows(StatusRuntimeException.class, () -> generate(h, onebit, 24));
            StatusRuntimeException three = assertThrows(StatusRuntimeException.class, () -> generate(h, onebit, 3));
            long after = ResidentMemory.kib();
            System.out.printf("RequestBudgetTest: pixel bomb answered %s and %s; RSS %d -> %d KiB%n",
                    many.getStatus().getCode(), three.getStatus().getCode(), before, after);
            assertEquals(Status.Code.INVALID_ARGUMENT, many.getStatus().getCode(), many.getStatus().toString());
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, three.getStatus().getCode(), three.getStatus().toString());
            assertEquals("the request's images reach 67108864 pixels at prompt[0].image (8192x8192), over the limit "
                    + "of 16777216 pixels for all the images of one request", three.getStatus().getDescription());
            assertTrue(after - before < 1536 * 1024, "memory back within 1.5 GB: " + before + " -> " + after + " KiB");
            assertEquals(0, h.model.generateCalls.get());
        }
    }

    private static void generate(ServerHarness h, ByteString image, int copies) {
        GenerateRequest.Builder r = GenerateRequest.newBuilder();
        for (int i = 0; i < copies; i++) {
            r.addPrompt(Chunk.newBuilder().setImage(ImageData.newBuilder().setData(image)));
        }
        h.blocking().generate(r.build()).forEachRemaining(x -> { });
    }

    @Test
    void tooManyImagesAreRefusedBeforeAnyIsDecoded() throws Exception {
        ByteString tiny = TestImages.png(1, 1);
        GenerateRequest.Builder r = GenerateRequest.newBuilder();
        IntStream.range(0, 2000).forEach(i -> r.addPrompt(Chunk.newBuilder().setImage(ImageData.newBuilder()
                .setData(tiny))));
        try (ServerHarness h = ServerHarness.start(Transport.IN_PROCESS, new FakeModel(0, 0))) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> h.blocking().generate(r.build()).forEachRemaining(x -> { }));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
            assertEquals("the request holds 2000 images; at most 16 are accepted in one request",
                    e.getStatus().getDescription());
            assertEquals(0, h.model.generateCalls.get());
        }
    }

    @Test
    void scoreTimestepsAreCappedAndADeadlineFreesTheSlot() throws Exception {
        FakeModel model = new FakeModel(50, 0);   // 50 ms a timestep
        try (ServerHarness h = ServerHarness.start(Transport.IN_PROCESS, model)) {
            ImageData img = ImageDataCodec.encode(FakeModel.solid(2, 2, 0));
            ImageScoreRequest.Builder many = ImageScoreRequest.newBuilder().setImage(img);
            IntStream.range(0, 10_000).forEach(t -> many.addTimesteps(t % 1000));
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> h.blocking().score(ScoreRequest.newBuilder().setImage(many).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
            assertTrue(e.getStatus().getDescription().contains("at most 64"), e.getStatus().toString());
            assertEquals(0, model.scoreSteps.get());

            ImageScoreRequest.Builder allowed = ImageScoreRequest.newBuilder().setImage(img);
            IntStream.range(0, 64).forEach(t -> allowed.addTimesteps(t * 10));   // 3.2 s of scoring
            e = assertThrows(StatusRuntimeException.class, () -> h.blocking().withDeadlineAfter(300,
                    TimeUnit.MILLISECONDS).score(ScoreRequest.newBuilder().setImage(allowed).build()));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
            Await.until(() -> h.server.limiter().running() == 0 && model.cancelled.get() == 1, Duration.ofSeconds(2),
                    "the model to stop scoring at its next timestep");
            assertTrue(model.scoreSteps.get() < 64, "scored " + model.scoreSteps.get() + " of 64 steps");
        }
    }

    @Test
    void tooManyStopStringsAreRefused() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.IN_PROCESS, new FakeModel(0, 0))) {
            Sampling.Builder s = Sampling.newBuilder();
            IntStream.range(0, 17).forEach(i -> s.addStop("s" + i));
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> h.blocking().generate(
                    GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder().setText("hi")).setSampling(s).build())
                    .forEachRemaining(x -> { }));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertEquals("sampling.stop must be at most 16 strings, got 17 strings", e.getStatus().getDescription());
            s.clearStop().addStop("x".repeat(257));
            e = assertThrows(StatusRuntimeException.class, () -> h.blocking().generate(GenerateRequest.newBuilder()
                    .addPrompt(Chunk.newBuilder().setText("hi")).setSampling(s).build()).forEachRemaining(x -> { }));
            assertTrue(e.getStatus().getDescription().startsWith("sampling.stop[0] must be at most 256 characters"),
                    e.getStatus().toString());
        }
    }

    @Test
    void oneConnectionRunsNoMoreStreamsThanItsLimit() throws Exception {
        FakeModel model = new FakeModel(0, 40);   // 40 ms a token
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, model, b -> b.limits(8, 8)
                .budget(RequestBudget.DEFAULTS.withMaxStreamsPerConnection(2)))) {
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(CompletableFuture.runAsync(() -> h.blocking().generate(GenerateRequest.newBuilder()
                        .addPrompt(Chunk.newBuilder().setText("one two three four five six seven")).build())
                        .forEachRemaining(x -> { }), CLIENTS));
            }
            for (var c : calls) {
                c.get(60, TimeUnit.SECONDS);   // the client queues streams past the limit: all are served
            }
            assertEquals(6, model.generateCalls.get());
            assertEquals(2, model.maxRunning.get(), "at most 2 streams at once on one connection");
        }
    }

    @Test
    void theDefaultsAreSmallerThanTheAttacks() {
        assertEquals(8 * 1024 * 1024, ServerSettings.DEFAULTS.maxInboundMessageSize());
        assertEquals(16, ServerSettings.DEFAULTS.budget().maxStreamsPerConnection());
        assertEquals("max streams per connection must be at least 1, got 0", assertThrows(
                IllegalArgumentException.class, () -> RequestBudget.DEFAULTS.withMaxStreamsPerConnection(0))
                .getMessage());
    }
}
