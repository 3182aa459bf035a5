package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.server.HttpApiTest.Reply;
import dev.transfusion.server.ServerHarness.Transport;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.Diffusion;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.ImageData;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /metrics} after calls over both transports; {@code /healthz} and {@code /readyz} while loading and draining. */
class MetricsAndHealthTest {

    @Test
    void metricsCountRequestsTokensStepsAndBatchesOfBothTransports() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0), b -> b.httpPort(0))) {
            int port = h.server.httpPort();
            // gRPC: an image of 5 steps, then "here it is" (3 tokens); a caption of a broken image
            h.blocking().generate(GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder().setText("x"))
                    .setMode(dev.transfusion.server.v1.Mode.MODE_IMAGE)
                    .setDiffusion(Diffusion.newBuilder().setSteps(5)).build()).forEachRemaining(e -> { });
            assertThrows(StatusRuntimeException.class, () -> h.blocking().caption(CaptionRequest.newBuilder()
                    .setImage(ImageData.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8("no"))).build()));
            // HTTP: "echo: one two" (3 tokens); an image of 4 steps and its 3 tokens; a bad request
            assertEquals(200, HttpApiTest.call(port, "POST", "/v1/chat/completions",
                    HttpApiTest.chatWith("\"one two\""), null).status());
            assertEquals(200, HttpApiTest.call(port, "POST", "/v1/images/generations",
                    "{\"prompt\":\"p\",\"steps\":4}", null).status());
            assertEquals(400, HttpApiTest.call(port, "POST", "/v1/images/generations", "{\"n\":0}", null).status());

            HttpResponse<String> r = HttpApiTest.HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
            String m = r.body();
            String generate = "method=\"transfusion.v1.Transfusion/Generate\",status=\"OK\",transport=\"grpc\"";
            assertEquals(1, sample(m, "transfusion_requests_seconds_count", generate), m);
            assertEquals(1, sample(m, "transfusion_requests_seconds_bucket", generate + ",le=\"300.0\""), m);
            assertEquals(1, sample(m, "transfusion_requests_seconds_count",
                    "method=\"transfusion.v1.Transfusion/Caption\",status=\"INVALID_ARGUMENT\",transport=\"grpc\""), m);
            assertEquals(1, sample(m, "transfusion_requests_seconds_count",
                    "method=\"/v1/chat/completions\",status=\"200\",transport=\"http\""), m);
            assertEquals(1, sample(m, "transfusion_requests_seconds_count",
                    "method=\"/v1/images/generations\",status=\"200\",transport=\"http\""), m);
            assertEquals(1, sample(m, "transfusion_requests_seconds_count",
                    "method=\"/v1/images/generations\",status=\"400\",transport=\"http\""), m);
            assertEquals(9, sample(m, "transfusion_generated_tokens_total", ""), m);
            assertEquals(9, sample(m, "transfusion_denoising_steps_total", ""), m);
            assertEquals(18, sample(m, "transfusion_batch_rows_count", ""), m);
            assertEquals(18, sample(m, "transfusion_batch_rows_bucket", "le=\"1.0\""), m);
            assertEquals(0, sample(m, "transfusion_queue_depth", ""), m);
            assertEquals(0, sample(m, "transfusion_calls_running", ""), m);
        }
    }

    @Test
    void queueDepthShowsCallsWaiting() throws Exception {
        FakeModel slow = new FakeModel(0, 300);
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, slow, b -> b.httpPort(0).limits(1, 4))) {
            int port = h.server.httpPort();
            CompletableFuture<Reply> first = chatLater(port, "\"a b c d\"");
            assertTrue(slow.started.tryAcquire(10, TimeUnit.SECONDS));
            CompletableFuture<Reply> second = chatLater(port, "\"x\"");
            Await.until(() -> h.server.limiter().queued() == 1, Duration.ofSeconds(10), "a call to queue");
            String m = HttpApiTest.call(port, "GET", "/metrics", null, null).body();
            assertEquals(1, sample(m, "transfusion_queue_depth", ""), m);
            assertEquals(1, sample(m, "transfusion_calls_running", ""), m);
            assertEquals(200, first.get().status());
            assertEquals(200, second.get().status());
        }
    }

    @Test
    void readyzIs503WhileDrainingWhileHealthzStays200() throws Exception {
        FakeModel slow = new FakeModel(0, 300);
        ServerHarness h = ServerHarness.start(Transport.NETTY, slow,
                b -> b.httpPort(0).shutdownTimings(Duration.ofSeconds(1), Duration.ofSeconds(20)));
        int port = h.server.httpPort();
        try {
            assertEquals(200, HttpApiTest.call(port, "GET", "/readyz", null, null).status());
            assertEquals("{\"status\":\"SERVING\"}", HttpApiTest.call(port, "GET", "/healthz", null, null).body());
            CompletableFuture<Reply> inFlight = chatLater(port, "\"a b c d e f g h\"");   // about 2.7 s
            assertTrue(slow.started.tryAcquire(10, TimeUnit.SECONDS));
            Thread drain = new Thread(h.server::shutdown);
            drain.start();
            Await.until(() -> status(port, "/readyz") == 503, Duration.ofSeconds(10), "readyz to turn 503");
            Reply health = HttpApiTest.call(port, "GET", "/healthz", null, null);
            assertEquals(200, health.status());
            assertEquals("{\"status\":\"NOT_SERVING\"}", health.body());
            assertEquals(ServingStatus.NOT_SERVING, h.health(""));   // the same status as grpc.health.v1
            // after the drain notice new API calls are refused while the one in flight finishes
            Await.until(() -> status(port, "/v1/models") == 503, Duration.ofSeconds(10), "/v1 to refuse");
            assertEquals(200, inFlight.get().status());
            assertEquals("echo: a b c d e f g h", inFlight.get().json().at("/choices/0/message/content").asText());
            drain.join(20_000);
        } finally {
            h.close();
        }
    }

    @Test
    void aLoadingModelIsNotReady() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeModel model = new FakeModel(0, 0);
        TransfusionServer server = TransfusionServer.builder().modelLoader(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return model;
        }).host("127.0.0.1").port(0).httpPort(0).shutdownTimings(Duration.ZERO, Duration.ofSeconds(5)).build().start();
        try {
            int port = server.httpPort();
            assertEquals(503, status(port, "/readyz"));
            assertEquals(200, status(port, "/healthz"));
            Reply models = HttpApiTest.call(port, "GET", "/v1/models", null, null);
            assertEquals(503, models.status(), models.body());
            assertTrue(models.error().get("message").asText().contains("still loading"), models.body());
            release.countDown();
            server.awaitReady();
            assertEquals(200, status(port, "/readyz"));
        } finally {
            release.countDown();
            server.shutdown();
        }
    }

    private static CompletableFuture<Reply> chatLater(int port, String content) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return HttpApiTest.call(port, "POST", "/v1/chat/completions", HttpApiTest.chatWith(content), null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static int status(int port, String path) {
        try {
            return HttpApiTest.call(port, "GET", path, null, null).status();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of the sample {@code name{labels}} in a Prometheus text exposition. */
    static double sample(String exposition, String name, String labels) {
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + (labels.isEmpty() ? "(\\{[^}]*\\})?"
                : "\\{" + Pattern.quote(labels) + "\\}") + " (\\S+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(exposition);
        if (!m.find()) {
            throw new AssertionError("no sample " + name + "{" + labels + "}");
        }
        return Double.parseDouble(m.group(m.groupCount()));
    }
}
