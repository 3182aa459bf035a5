package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server with TLS serves its HTTP port with the same certificate; plaintext HTTP to it gets no answer. */
class HttpsTest {

    @Test
    void theHttpPortUsesTheServersCertificate(@TempDir Path dir) throws Exception {
        TestCertificate cert = TestCertificate.create(dir);
        TransfusionServer server = TransfusionServer.builder().model(new FakeModel(0, 0)).host("127.0.0.1").port(0)
                .httpPort(0).tls(cert.certificate(), cert.privateKey()).bearerToken("s3c")
                .shutdownTimings(Duration.ZERO, Duration.ofSeconds(5)).build().start();
        try {
            server.awaitReady();
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(cert.certificate()))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.httpPort() + "/v1/models"))
                    .header("Authorization", "Bearer s3c").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpPort() + "/healthz")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        } finally {
            server.shutdown();
        }
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("c" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
