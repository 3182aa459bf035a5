package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.InvalidInputException;
import io.grpc.Status;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Neither the bearer token nor prompt text reaches the server's log: a server process at the logging defaults
 * (slf4j-simple's INFO, more than the launcher's WARN; java.util.logging's INFO for gRPC and Netty) serves good,
 * bad and unauthorised calls carrying both, and everything it prints is searched for them.
 */
class LogSecrecyTest {

    @Test
    void neitherTokenNorPromptTextIsLogged() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        String secret = "zebra-" + UUID.randomUUID();
        try (ServerProcess server = ServerProcess.start(List.of(), token)) {
            String address = "127.0.0.1:" + server.awaitPort();
            try (TransfusionClient good = TransfusionClient.builder(address).bearerToken(token).build();
                 TransfusionClient wrong = TransfusionClient.builder(address).bearerToken(token + "x").build()) {
                assertEquals("echo: " + secret, good.generate(Document.text(secret), GenerationOptions.DEFAULTS).text());
                assertEquals("answer: " + secret, good.answer(FakeModel.solid(2, 2, 0), secret, GenerationOptions.DEFAULTS));
                assertThrows(InvalidInputException.class, () -> good.generate(Document.text(secret),
                        GenerationOptions.builder().stop(List.of(secret, "")).build()));
                RemoteCallException denied = assertThrows(RemoteCallException.class,
                        () -> wrong.generate(Document.text(secret), GenerationOptions.DEFAULTS));
                assertEquals(Status.Code.UNAUTHENTICATED, denied.code());
            }
            assertTrue(server.sigterm());
            assertEquals(0, server.awaitExit(), server.output());
            String log = server.output();
            assertTrue(log.contains("auth on") && log.contains("shutting down"), "the output is captured: " + log);
            assertFalse(log.contains(token), "the bearer token is in the log:\n" + log);
            assertFalse(log.contains(secret), "prompt text is in the log:\n" + log);
        }
    }
}
