package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transfusion.server.ServerHarness.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP port's OpenAI-compatible API with a plain HTTP client: the replies' shapes, and each bad input
 * answered with OpenAI's error JSON, the right status and the field at fault (docs/reliability.md).
 */
class HttpApiTest {
    static final String TOKEN = "http-t";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static ServerHarness h;

    @BeforeAll
    static void start() throws InterruptedException {
        h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0), b -> b.bearerToken(TOKEN).httpPort(0)
                .budget(RequestBudget.DEFAULTS.withImages(10_000, 4)));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    record Reply(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        JsonNode error() throws IOException {
            JsonNode e = json().get("error");
            assertTrue(e != null && e.has("message") && e.has("type") && e.has("param") && e.has("code"),
                    "not OpenAI's error shape: " + body);
            return e;
        }
    }

    static Reply call(int port, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    static Reply post(String path, String body) throws Exception {
        return call(h.server.httpPort(), "POST", path, body, TOKEN);
    }

    static String png(int w, int h, int rgb) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(
                ImageDataCodec.encode(FakeModel.solid(w, h, rgb)).getData().toByteArray());
    }

    static String chatWith(String content) {
        return "{\"model\":\"fake\",\"messages\":[{\"role\":\"user\",\"content\":" + content + "}]}";
    }

    private static void assertBadRequest(Reply r, String param, String messagePart) throws IOException {
        assertEquals(400, r.status(), r.body());
        JsonNode e = r.error();
        assertEquals("invalid_request_error", e.get("type").asText(), r.body());
        if (param == null) {
            assertTrue(e.get("param").isNull(), r.body());
        } else {
            assertEquals(param, e.get("param").asText(), r.body());
        }
        assertTrue(e.get("message").asText().contains(messagePart), r.body());
    }

    @Test
    void chatAnswersAboutAnImageAndEchoesText() throws Exception {
        Reply r = post("/v1/chat/completions", chatWith("[{\"type\":\"image_url\",\"image_url\":{\"url\":\""
                + png(5, 7, 0xff0000) + "\"}},{\"type\":\"text\",\"text\":\"what\"}]"));
        assertEquals(200, r.status(), r.body());
        JsonNode c = r.json();
        assertEquals("chat.completion", c.get("object").asText());
        assertEquals("answer: what", c.at("/choices/0/message/content").asText());
        assertEquals("assistant", c.at("/choices/0/message/role").asText());
        assertEquals("stop", c.at("/choices/0/finish_reason").asText());
        assertEquals(2, c.at("/usage/completion_tokens").asInt());
        Reply text = post("/v1/chat/completions", chatWith("\"hello there\""));
        assertEquals("echo: hello there", text.json().at("/choices/0/message/content").asText());
        Reply cut = post("/v1/chat/completions", "{\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"a b\"}]}");
        assertEquals("length", cut.json().at("/choices/0/finish_reason").asText(), cut.body());
    }

    @Test
    void chatStreamsChunksThenDone() throws Exception {
        Reply r = post("/v1/chat/completions", "{\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}");
        assertEquals(200, r.status(), r.body());
        List<String> events = r.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertEquals("[DONE]", events.get(events.size() - 1));
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = JSON.readTree(e);
            assertEquals("chat.completion.chunk", chunk.get("object").asText(), e);
            JsonNode choice = chunk.at("/choices/0");
            if (!choice.isMissingNode()) {
                text.append(choice.at("/delta/content").asText(""));
                if (!choice.get("finish_reason").isNull()) {
                    finish = choice.get("finish_reason").asText();
                }
            }
        }
        assertEquals("echo: one two three", text.toString());
        assertEquals("stop", finish);
        assertEquals(4, JSON.readTree(events.get(events.size() - 2)).at("/usage/completion_tokens").asInt());
    }

    @Test
    void imagesComeAsBase64PngsOfTheModelSize() throws Exception {
        Reply r = post("/v1/images/generations", "{\"prompt\":\"draw\",\"n\":3,\"size\":\"4x4\",\"seed\":7,\"steps\":2}");
        assertEquals(200, r.status(), r.body());
        JsonNode data = r.json().get("data");
        assertEquals(3, data.size());
        for (int i = 0; i < 3; i++) {
            byte[] bytes = Base64.getDecoder().decode(data.get(i).get("b64_json").asText());
            assertEquals(7 + i, dev.transfusion.api.ImageCodecs.decode(bytes, "b64_json").pixel(0, 0));
        }
    }

    @Test
    void modelsListTheOneModel() throws Exception {
        Reply r = call(h.server.httpPort(), "GET", "/v1/models", null, TOKEN);
        assertEquals(200, r.status(), r.body());
        assertEquals("fake", r.json().at("/data/0/id").asText());
        assertEquals(200, call(h.server.httpPort(), "GET", "/v1/models/fake", null, TOKEN).status());
        Reply unknown = call(h.server.httpPort(), "GET", "/v1/models/gpt-4o", null, TOKEN);
        assertEquals(404, unknown.status(), unknown.body());
        assertEquals("model_not_found", unknown.error().get("code").asText());
    }

    @Test
    void malformedJsonIsA400() throws Exception {
        assertBadRequest(post("/v1/chat/completions", "{\"messages\": ["), null, "not valid JSON at line 1");
        assertBadRequest(post("/v1/images/generations", "[1, 2]"), null, "must be a JSON object, got an array");
        assertBadRequest(post("/v1/images/generations", ""), null, "body is empty");
    }

    @Test
    void wrongTypesNameTheField() throws Exception {
        assertBadRequest(post("/v1/images/generations", "{\"prompt\":\"draw\",\"n\":\"2\"}"), "n",
                "'n' must be an integer, got string \"2\"");
        assertBadRequest(post("/v1/images/generations", "{\"prompt\":7}"), "prompt", "'prompt' must be a string");
        assertBadRequest(post("/v1/chat/completions", "{\"messages\":{}}"), "messages", "'messages' must be an array");
        assertBadRequest(post("/v1/chat/completions", chatWith("5")), "messages[0].content",
                "must be a string or an array of content parts, got integer 5");
        assertBadRequest(post("/v1/chat/completions", "{\"stream\":\"yes\",\"messages\":[]}"), "stream",
                "'stream' must be true or false");
        assertBadRequest(post("/v1/chat/completions", "{\"temperature\":-1,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}]}"), "temperature", "'temperature' must be 0..100, got -1.0");
        assertBadRequest(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"),
                "messages[0].role", "expected one of system");
        assertBadRequest(post("/v1/chat/completions", "{\"messages\":[]}"), "messages", "'messages' is empty");
        assertBadRequest(post("/v1/images/generations", "{\"prompt\":\"draw\",\"n\":11}"), "n", "'n' must be 1..10");
        assertBadRequest(post("/v1/chat/completions", "{\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                "n", "'n' must be 1: this server returns one choice per request, got 2");
        assertBadRequest(post("/v1/chat/completions", "{\"max_tokens\":0,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}]}"), "max_tokens", "'max_tokens' must be 1..65536, got 0");
        assertBadRequest(post("/v1/chat/completions", "{\"stop\":[1],\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}]}"), "stop[0]", "'stop[0]' must be a string, got integer 1");
    }

    @Test
    void unknownModelIsA404() throws Exception {
        Reply r = post("/v1/images/generations", "{\"model\":\"dall-e-3\",\"prompt\":\"draw\"}");
        assertEquals(404, r.status(), r.body());
        assertEquals("model_not_found", r.error().get("code").asText());
        assertEquals("model", r.error().get("param").asText());
        assertTrue(r.error().get("message").asText().contains("it serves 'fake'"), r.body());
    }

    @Test
    void badSizeAndUrlFormatAreRefused() throws Exception {
        assertBadRequest(post("/v1/images/generations", "{\"prompt\":\"draw\",\"size\":\"1024x1024\"}"), "size",
                "'fake' draws 4x4 images");
        assertBadRequest(post("/v1/images/generations", "{\"prompt\":\"draw\",\"size\":\"big\"}"), "size",
                "must be WIDTHxHEIGHT");
        assertBadRequest(post("/v1/images/generations", "{\"prompt\":\"draw\",\"response_format\":\"url\"}"),
                "response_format", "use b64_json");
    }

    @Test
    void badDataUrlsNameTheContentPart() throws Exception {
        String field = "messages[0].content[0].image_url";
        assertBadRequest(post("/v1/chat/completions", chatWith("[{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"https://example.com/cat.png\"}}]")), field + ".url", "must be a data: URL");
        assertBadRequest(post("/v1/chat/completions", chatWith("[{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"data:image/png;base64,@@@\"}}]")), field + ".url", "invalid base64");
        assertBadRequest(post("/v1/chat/completions", chatWith("[{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"data:image/gif;base64,R0lG\"}}]")), field + ".url", "send image/png or image/jpeg");
        String notPng = Base64.getEncoder().encodeToString("not an image".getBytes());
        assertBadRequest(post("/v1/chat/completions", chatWith("[{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"data:image/png;base64," + notPng + "\"}}]")), field,
                field + ".data (12 bytes) is not a PNG or JPEG image");
        assertBadRequest(post("/v1/chat/completions", chatWith("[{\"type\":\"video\"}]")),
                "messages[0].content[0].type", "reads 'text' and 'image_url' parts");
    }

    @Test
    void tooLargeIsA413() throws Exception {
        // over the pixel budget of this server (10 000 pixels): refused from the PNG header
        Reply pixels = post("/v1/chat/completions", chatWith("[{\"type\":\"image_url\",\"image_url\":{\"url\":\""
                + png(101, 100, 0) + "\"}}]"));
        assertEquals(413, pixels.status(), pixels.body());
        assertEquals("request_too_large", pixels.error().get("code").asText());
        // more images than the budget's 4
        String one = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + png(2, 2, 0) + "\"}}";
        assertBadRequest(post("/v1/chat/completions", chatWith("[" + String.join(",", one, one, one, one, one) + "]")),
                null, "holds 5 images; at most 4");
        // a body over the HTTP limit (the 8 MiB gRPC limit with room for base64)
        Reply body = post("/v1/chat/completions", chatWith("\"" + "a".repeat(12 * 1024 * 1024) + "\""));
        assertEquals(413, body.status(), body.body().substring(0, Math.min(200, body.body().length())));
        assertTrue(body.error().get("message").asText().contains("larger than the"), body.body());
    }

    @Test
    void missingOrWrongTokenIsA401AndHealthNeedsNone() throws Exception {
        int port = h.server.httpPort();
        Reply none = call(port, "GET", "/v1/models", null, null);
        assertEquals(401, none.status(), none.body());
        assertEquals("invalid_api_key", none.error().get("code").asText());
        assertTrue(none.error().get("message").asText().contains("missing 'authorization: Bearer <token>' header"));
        Reply wrong = call(port, "POST", "/v1/chat/completions", chatWith("\"hi\""), "nope");
        assertEquals(401, wrong.status(), wrong.body());
        assertEquals(200, call(port, "GET", "/healthz", null, null).status());
        assertEquals(200, call(port, "GET", "/readyz", null, null).status());
        assertEquals(200, call(port, "GET", "/metrics", null, null).status());
    }

    @Test
    void aTakenHttpPortFailsTheStart() throws Exception {
        int taken = h.server.httpPort();
        TransfusionServer.Builder b = TransfusionServer.builder().model(new FakeModel(0, 0)).host("127.0.0.1").port(0)
                .httpPort(taken);
        java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.UncheckedIOException.class, () -> b.build().start());
        assertTrue(e.getMessage().startsWith("cannot listen for HTTP on 127.0.0.1:" + taken + ": "), e.getMessage());
        assertEquals(200, call(taken, "GET", "/healthz", null, null).status(), "the other server is untouched");
    }

    @Test
    void aFailingModelIsA500WithoutInternals() throws Exception {
        dev.transfusion.testing.StubModel broken = new dev.transfusion.testing.StubModel() {
            @Override
            public dev.transfusion.api.GenerationResult generate(dev.transfusion.api.Document prompt,
                    dev.transfusion.api.GenerationOptions options, dev.transfusion.api.GenerationListener listener,
                    dev.transfusion.api.Cancellation cancellation) {
                throw new IllegalStateException("secret internals");
            }

            @Override
            public dev.transfusion.api.ModelInfo info() {
                return new FakeModel(0, 0).info();
            }
        };
        try (TransfusionServer s = TransfusionServer.builder().model(broken).host("127.0.0.1").port(0).httpPort(0)
                .shutdownTimings(Duration.ZERO, Duration.ofSeconds(5)).build().start()) {
            s.awaitReady();
            Reply r = call(s.httpPort(), "POST", "/v1/chat/completions", chatWith("\"hi\""), null);
            assertEquals(500, r.status(), r.body());
            assertEquals("server_error", r.error().get("type").asText());
            assertTrue(r.error().get("message").asText().contains("see the server log"), r.body());
            assertTrue(!r.body().contains("secret"), r.body());
            // streaming: the error is the last event of a stream that had started
            Reply stream = call(s.httpPort(), "POST", "/v1/chat/completions",
                    "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null);
            assertEquals(200, stream.status(), stream.body());
            List<String> events = stream.body().lines().filter(l -> l.startsWith("data: ")).toList();
            assertTrue(events.get(events.size() - 1).contains("\"type\":\"server_error\""), stream.body());
            assertTrue(!stream.body().contains("[DONE]") && !stream.body().contains("secret"), stream.body());
        }
    }

    @Test
    void unknownRoutesAndMethods() throws Exception {
        int port = h.server.httpPort();
        Reply route = call(port, "POST", "/v1/completions", "{}", TOKEN);
        assertEquals(404, route.status(), route.body());
        assertEquals("unknown_url", route.error().get("code").asText());
        assertEquals(404, call(port, "GET", "/index.html", null, null).status());
        Reply method = call(port, "GET", "/v1/chat/completions", null, TOKEN);
        assertEquals(405, method.status(), method.body());
    }

    @Test
    void aFullLimiterIsA429() throws Exception {
        FakeModel slow = new FakeModel(0, 200);
        try (ServerHarness busy = ServerHarness.start(Transport.NETTY, slow, b -> b.httpPort(0).limits(1, 0))) {
            int port = busy.server.httpPort();
            CompletableFuture<Reply> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return call(port, "POST", "/v1/chat/completions", chatWith("\"a b c\""), null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(slow.started.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS), "first call started");
            Reply refused = call(port, "POST", "/v1/chat/completions", chatWith("\"x\""), null);
            assertEquals(429, refused.status(), refused.body());
            assertEquals("server_busy", refused.error().get("code").asText());
            assertTrue(refused.error().get("message").asText().contains("server busy"), refused.body());
            assertEquals(200, first.get().status());
        }
    }

    @Test
    void grpcAndHttpWaitInOneQueue() throws Exception {
        FakeModel slow = new FakeModel(0, 200);
        try (ServerHarness busy = ServerHarness.start(Transport.NETTY, slow, b -> b.httpPort(0).limits(1, 0))) {
            CompletableFuture<String> grpc = CompletableFuture.supplyAsync(() -> {
                StringBuilder text = new StringBuilder();
                busy.blocking().generate(dev.transfusion.server.v1.GenerateRequest.newBuilder()
                        .addPrompt(dev.transfusion.server.v1.Chunk.newBuilder().setText("a b c"))
                        .setMode(dev.transfusion.server.v1.Mode.MODE_TEXT).build())
                        .forEachRemaining(e -> text.append(e.getText().getText()));
                return text.toString();
            });
            assertTrue(slow.started.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS), "the gRPC call started");
            Reply refused = call(busy.server.httpPort(), "POST", "/v1/chat/completions", chatWith("\"x\""), null);
            assertEquals(429, refused.status(), "the gRPC call holds the one slot: " + refused.body());
            assertEquals("echo: a b c", grpc.get());
            assertEquals(200, call(busy.server.httpPort(), "POST", "/v1/chat/completions", chatWith("\"x\""), null)
                    .status());
        }
    }
}
