package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.server.HttpApiTest.Reply;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The HTTP port of a server process started as {@code serve} starts one ({@link ServerLauncher}): its ready line
 * names the HTTP port, SIGTERM turns {@code /readyz} to 503 during the drain notice before the process exits 0,
 * and neither the bearer token nor prompt text sent over HTTP reaches its log.
 */
class HttpProcessTest {
    private static final Pattern HTTP_PORT = Pattern.compile("; HTTP on port (\\d+)\\)");

    @Test
    void readyLineDrainAndLogSecrecyOverHttp() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        String secret = "zebra-" + UUID.randomUUID();
        try (ServerProcess server = ServerProcess.start(List.of(), token, "0")) {
            server.awaitPort();
            Matcher m = HTTP_PORT.matcher(server.output());
            assertTrue(m.find(), "the ready line names the HTTP port:\n" + server.output());
            int port = Integer.parseInt(m.group(1));

            Reply good = HttpApiTest.call(port, "POST", "/v1/chat/completions", HttpApiTest.chatWith("\"" + secret + "\""),
                    token);
            assertEquals("echo: " + secret, good.json().at("/choices/0/message/content").asText(), good.body());
            assertEquals(401, HttpApiTest.call(port, "POST", "/v1/chat/completions",
                    HttpApiTest.chatWith("\"" + secret + "\""), token + "x").status());
            assertEquals(400, HttpApiTest.call(port, "POST", "/v1/chat/completions", "{\"stop\":[\"" + secret
                    + "\",\"\"],\"messages\":[{\"role\":\"user\",\"content\":\"" + secret + "\"}]}", token).status());
            assertEquals(200, HttpApiTest.call(port, "GET", "/readyz", null, null).status());

            assertTrue(server.sigterm());
            AtomicBoolean sawDraining = new AtomicBoolean();
            Await.until(() -> {
                try {
                    sawDraining.set(HttpApiTest.call(port, "GET", "/readyz", null, null).status() == 503);
                } catch (Exception e) {
                    return true;   // the port closed: the drain notice is over
                }
                return sawDraining.get();
            }, Duration.ofSeconds(20), "readyz to turn 503 or the port to close");
            assertTrue(sawDraining.get(), "readyz answered 503 during the 1 s drain notice");
            assertEquals(0, server.awaitExit(), server.output());
            String log = server.output();
            assertTrue(log.contains("auth on") && log.contains("shutting down"), "the output is captured: " + log);
            assertFalse(log.contains(token), "the bearer token is in the log:\n" + log);
            assertFalse(log.contains(secret), "prompt text is in the log:\n" + log);
        }
    }
}
