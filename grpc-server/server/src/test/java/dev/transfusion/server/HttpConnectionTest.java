package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.server.http.HttpGateway;
import dev.transfusion.server.http.ServerMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * HTTP connections at the byte level: pipelined requests answered in order, idle connections closed and busy ones
 * not, malformed requests, {@code Expect: 100-continue}, and a client that hangs up mid-stream.
 */
class HttpConnectionTest {

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (ServerHarness h = ServerHarness.start(ServerHarness.Transport.NETTY, new FakeModel(0, 100),
                b -> b.httpPort(0));
             Socket socket = new Socket("127.0.0.1", h.server.httpPort())) {
            socket.setSoTimeout(20_000);
            String chat = HttpApiTest.chatWith("\"a b c\"");
            // the slow chat first, the fast model list right behind it, in one write
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: "
                    + "application/json\r\nContent-Length: " + chat.length() + "\r\n\r\n" + chat
                    + "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String replies = readUntil(socket.getInputStream(), "\"object\":\"list\"");
            int completion = replies.indexOf("\"object\":\"chat.completion\"");
            assertTrue(completion >= 0, replies);
            assertTrue(completion < replies.indexOf("\"object\":\"list\""), "out of order:\n" + replies);
        }
    }

    @Test
    void idleConnectionsCloseButOnesWaitingForAnAnswerDoNot() throws Exception {
        FakeModel model = new FakeModel(0, 150);   // a reply of 4 tokens takes about 600 ms, past the idle time
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 4);
        ImageDecoding decoding = new ImageDecoding(RequestBudget.DEFAULTS);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        HttpGateway gateway = HttpGateway.start("127.0.0.1", 0, 1 << 20, null, null, Duration.ofMillis(200),
                new HttpGateway.Backend(() -> model, () -> true, limiter, decoding, RequestBudget.DEFAULTS, null,
                        new ServerMetrics(), executor));
        try {
            try (Socket idle = new Socket("127.0.0.1", gateway.port())) {
                idle.setSoTimeout(10_000);
                assertEquals(-1, idle.getInputStream().read(), "the server closes a silent connection");
            }
            try (Socket busy = new Socket("127.0.0.1", gateway.port())) {
                busy.setSoTimeout(10_000);
                String chat = HttpApiTest.chatWith("\"a b c\"");
                busy.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: "
                        + chat.length() + "\r\n\r\n" + chat).getBytes(StandardCharsets.US_ASCII));
                String reply = readUntil(busy.getInputStream(), "echo: a b c");
                assertTrue(reply.startsWith("HTTP/1.1 200 OK"), reply);
                assertEquals(-1, busy.getInputStream().read(), "idle again after the answer: closed");
            }
        } finally {
            gateway.close();
            limiter.shutdown();
            decoding.shutdown();
            executor.shutdown();
        }
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBody() throws Exception {
        try (ServerHarness s = ServerHarness.start(ServerHarness.Transport.NETTY, new FakeModel(0, 0),
                b -> b.httpPort(0).bearerToken(HttpApiTest.TOKEN))) {
            String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + HttpApiTest.TOKEN
                    + "\r\nExpect: 100-continue\r\n";
            // too large: refused from the headers, with the JSON error, before any body byte is sent
            String refused = exchange(s.server.httpPort(), head + "Content-Length: 20000000\r\n\r\n");
            assertTrue(refused.startsWith("HTTP/1.1 413 Request Entity Too Large"), refused);
            assertTrue(refused.contains("\"code\":\"request_too_large\""), refused);
            // within the limit: 100 Continue, then the answer to the body
            try (Socket socket = new Socket("127.0.0.1", s.server.httpPort())) {
                socket.setSoTimeout(10_000);
                String body = HttpApiTest.chatWith("\"go on\"");
                socket.getOutputStream().write((head + "Connection: close\r\nContent-Length: " + body.length()
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] first = new byte[25];
                int n = socket.getInputStream().readNBytes(first, 0, first.length);
                assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(first, 0, n, StandardCharsets.US_ASCII));
                socket.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
                String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(reply.startsWith("HTTP/1.1 200 OK") && reply.contains("echo: go on"), reply);
            }
        }
    }

    @Test
    void aMalformedHttpRequestIsA400() throws Exception {
        try (ServerHarness s = ServerHarness.start(ServerHarness.Transport.NETTY, new FakeModel(0, 0),
                b -> b.httpPort(0))) {
            String garbage = exchange(s.server.httpPort(), "GARBAGE\r\n\r\n");
            assertTrue(garbage.startsWith("HTTP/1.1 400 Bad Request"), garbage);
            assertTrue(garbage.contains("malformed HTTP request"), garbage);
            String longHeader = exchange(s.server.httpPort(), "GET /healthz HTTP/1.1\r\nX-Long: " + "x".repeat(20_000)
                    + "\r\n\r\n");
            assertTrue(longHeader.startsWith("HTTP/1.1 400 Bad Request"), longHeader);
            assertTrue(longHeader.contains("malformed HTTP request: HTTP header is larger than 8192 bytes"), longHeader);
        }
    }

    @Test
    void aClientThatLeavesMidStreamStopsTheModel() throws Exception {
        FakeModel slow = new FakeModel(0, 100);
        try (ServerHarness s = ServerHarness.start(ServerHarness.Transport.NETTY, slow, b -> b.httpPort(0))) {
            String body = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "w ".repeat(50) + "\"}]}";
            try (Socket socket = new Socket("127.0.0.1", s.server.httpPort())) {
                socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                byte[] first = new byte[64];
                assertTrue(socket.getInputStream().read(first) > 0, "the stream started");
            }
            Await.until(() -> slow.cancelled.get() == 1, Duration.ofSeconds(10), "the model to stop");
            Await.until(() -> s.server.limiter().running() == 0, Duration.ofSeconds(10), "the slot to be free");
        }
    }

    /** Sends {@code request} on a new connection and reads until the server closes it. */
    private static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Reads until {@code marker} has arrived (or the stream ends, or the socket times out). */
    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            seen.write(buf, 0, n);
        }
        return seen.toString(StandardCharsets.UTF_8);
    }
}
