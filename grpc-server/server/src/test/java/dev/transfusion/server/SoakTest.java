package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.Diffusion;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.ImageData;
import dev.transfusion.server.v1.ImageScoreRequest;
import dev.transfusion.server.v1.Mode;
import dev.transfusion.server.v1.Sampling;
import dev.transfusion.server.v1.ScoreRequest;
import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real (tiny, untrained) model served under a mixed, bounded load for a while: generate (text and image),
 * caption, score, calls cancelled mid-way or past their deadline, and bad requests (no image, a JPEG bomb,
 * too many stop strings). Every call must end with an expected status, and resident memory, sampled after
 * full collections, must be flat once warmed up. Runs {@code -Dsoak.seconds} seconds (45 by default, so that
 * it fits in {@code mvn verify}; the curve in docs/reliability.md is from a longer run).
 */
@Tag("soak")
class SoakTest {
    private static final Set<Status.Code> EXPECTED = Set.of(Status.Code.OK, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.INVALID_ARGUMENT, Status.Code.CANCELLED, Status.Code.DEADLINE_EXCEEDED);

    @Test
    void memoryIsFlatUnderMixedLoad(@TempDir Path dir) throws Exception {
        long seconds = Long.getLong("soak.seconds", 45);
        Path modelDir = RealModelTest.writeTinyModel(dir);
        TransfusionServer server = ServerLauncher.forModelDirectory(modelDir).host("127.0.0.1").port(0)
                .limits(2, 4).shutdownTimings(Duration.ZERO, Duration.ofSeconds(10)).build().start();
        ManagedChannel channel = null;
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            server.awaitReady();
            channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            ByteString bomb = TestImages.jpegBomb(1024, 200);
            ByteString png = ImageDataCodec.encode(FakeModel.solid(4, 4, 0xff0000)).getData();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            List<Future<Map<Status.Code, Integer>>> work = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                ManagedChannel ch = channel;
                long seed = c;
                work.add(clients.submit(() -> load(ch, seed, end, png, bomb)));
            }
            List<long[]> rss = new ArrayList<>();   // {seconds since start, KiB}
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                rss.add(new long[] {(System.nanoTime() - start) / 1_000_000_000L, ResidentMemory.kib()});
                Thread.sleep(5000);
            }
            Map<Status.Code, Integer> counts = new EnumMap<>(Status.Code.class);
            for (var f : work) {
                f.get(120, TimeUnit.SECONDS).forEach((k, v) -> counts.merge(k, v, Integer::sum));
            }
            rss.add(new long[] {(System.nanoTime() - start) / 1_000_000_000L, ResidentMemory.kib()});
            StringBuilder curve = new StringBuilder();
            rss.forEach(s -> curve.append(String.format(" %ds:%dMiB", s[0], s[1] / 1024)));
            System.out.println("SoakTest: " + seconds + " s, calls " + counts + "; RSS" + curve);

            assertTrue(counts.keySet().stream().allMatch(EXPECTED::contains), "unexpected statuses: " + counts);
            assertTrue(counts.getOrDefault(Status.Code.OK, 0) > 0, "nothing was served: " + counts);
            assertEquals(0, server.limiter().running(), "every slot given back");
            // flat after warm-up: the last third no higher than the end of the first third, give or take 15%
            int third = Math.max(1, rss.size() / 3);
            long warm = rss.get(third)[1];
            long lastMax = rss.subList(rss.size() - third, rss.size()).stream().mapToLong(s -> s[1]).max().orElseThrow();
            assertTrue(lastMax <= warm * 1.15, "RSS grew after warm-up:" + curve);
        } finally {
            clients.shutdownNow();
            if (channel != null) {
                channel.shutdownNow();
            }
            server.shutdown();
        }
    }

    /** One client's calls until {@code end}, counted by status. */
    private static Map<Status.Code, Integer> load(ManagedChannel channel, long seed, long end, ByteString png,
                                                  ByteString bomb) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<Status.Code, Integer> counts = new EnumMap<>(Status.Code.class);
        while (System.nanoTime() < end) {
            TransfusionGrpc.TransfusionBlockingStub stub = TransfusionGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(60, TimeUnit.SECONDS);
            Status.Code code = Status.Code.OK;
            try {
                switch (rng.nextInt(8)) {
                    case 0 -> drain(stub.generate(GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder()
                            .setText("a red circle")).setSampling(Sampling.newBuilder().setMaxNewTokens(8)).build()));
                    case 1 -> drain(stub.generate(GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder()
                            .setText("draw")).setMode(Mode.MODE_IMAGE).setDiffusion(Diffusion.newBuilder().setSteps(4))
                            .setSampling(Sampling.newBuilder().setMaxNewTokens(2)).build()));
                    case 2 -> stub.caption(CaptionRequest.newBuilder().setImage(ImageData.newBuilder().setData(png))
                            .setSampling(Sampling.newBuilder().setMaxNewTokens(6)).build());
                    case 3 -> stub.score(ScoreRequest.newBuilder().setImage(ImageScoreRequest.newBuilder()
                            .setImage(ImageData.newBuilder().setData(png)).setCaption("red").addTimesteps(10)
                            .addTimesteps(500)).build());
                    case 4 -> cancelMidway(channel);
                    case 5 -> drain(stub.withDeadlineAfter(30, TimeUnit.MILLISECONDS).generate(GenerateRequest
                            .newBuilder().addPrompt(Chunk.newBuilder().setText("long")).setMode(Mode.MODE_IMAGE)
                            .setDiffusion(Diffusion.newBuilder().setSteps(200)).build()));
                    case 6 -> stub.caption(CaptionRequest.newBuilder().setImage(ImageData.newBuilder().setData(bomb))
                            .build());
                    default -> stub.caption(CaptionRequest.getDefaultInstance());   // no image
                }
            } catch (StatusRuntimeException e) {
                code = e.getStatus().getCode();
            }
            counts.merge(code, 1, Integer::sum);
        }
        return counts;
    }

    private static void cancelMidway(ManagedChannel channel) {
        Context.CancellableContext ctx = Context.current().withCancellation();
        try {
            ctx.run(() -> {
                Iterator<GenerateEvent> events = TransfusionGrpc.newBlockingStub(channel).generate(GenerateRequest
                        .newBuilder().addPrompt(Chunk.newBuilder().setText("x")).setMode(Mode.MODE_IMAGE)
                        .setDiffusion(Diffusion.newBuilder().setSteps(100)).build());
                if (events.hasNext()) {
                    events.next();
                }
                ctx.cancel(null);
                drain(events);
            });
        } finally {
            ctx.cancel(null);
        }
    }

    private static void drain(Iterator<GenerateEvent> events) {
        events.forEachRemaining(e -> { });
    }
}
