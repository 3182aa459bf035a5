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

/** HTTP connections: pipelined requests are answered in order; idle connections close, busy ones do not. */
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
