package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.Mode;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a certificate made in the test: a trusting client is served, a plaintext one is refused. */
class TlsTest {

    @Test
    void tlsWithBearerToken(@TempDir Path dir, @TempDir Path otherDir) throws Exception {
        TestCertificate cert = TestCertificate.create(dir);
        TransfusionServer server = TransfusionServer.builder().model(new FakeModel(0, 0))
                .host("127.0.0.1").port(0).tls(cert.certificate(), cert.privateKey()).bearerToken("t0k")
                .shutdownTimings(Duration.ZERO, Duration.ofSeconds(5)).build().start();
        try {
            server.awaitReady();
            String target = "127.0.0.1:" + server.port();
            try (TransfusionClient byIp = TransfusionClient.builder(target).trustCertificate(cert.certificate())
                    .bearerToken("t0k").build();
                 TransfusionClient byName = TransfusionClient.builder(target).trustCertificate(cert.certificate())
                         .authority("localhost").bearerToken("t0k").build()) {
                assertEquals("echo: over tls", byIp.generate(Document.text("over tls"),
                        GenerationOptions.builder().mode(Mode.TEXT).build()).text());
                assertEquals("fake", byName.info().name());
            }
            try (TransfusionClient plaintext = TransfusionClient.builder(target).bearerToken("t0k")
                    .timeout(Duration.ofSeconds(5)).build()) {
                RemoteCallException e = assertThrows(RemoteCallException.class, plaintext::info);
                assertEquals(Status.Code.UNAVAILABLE, e.code(), e.getMessage());
            }
            try (TransfusionClient untrusting = TransfusionClient.builder(target)
                    .trustCertificate(TestCertificate.create(otherDir).certificate())
                    .timeout(Duration.ofSeconds(5)).build()) {
                RemoteCallException e = assertThrows(RemoteCallException.class, untrusting::info);
                assertEquals(Status.Code.UNAVAILABLE, e.code(), "a certificate the client does not trust");
            }
        } finally {
            server.shutdown();
        }
    }
}
