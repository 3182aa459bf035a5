package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.transfusion.server.ServerHarness.Transport;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.ImageData;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings checks, the request size limit, and a port already taken. */
class ServerSettingsTest {

    @Test
    void requestsOverTheSizeLimitAreRefused() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0),
                b -> b.maxInboundMessageSize(16 * 1024))) {
            CaptionRequest big = CaptionRequest.newBuilder().setImage(ImageData.newBuilder()
                    .setData(ByteString.copyFrom(new byte[32 * 1024]))).build();
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> h.blocking().caption(big));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
            assertTrue(e.getStatus().getDescription().contains("exceeds maximum size 16384"), e.getStatus().toString());
            assertEquals(0, h.model.generateCalls.get());
            assertEquals("a red square 2x2", h.blocking().caption(CaptionRequest.newBuilder()
                    .setImage(ImageDataCodec.encode(FakeModel.solid(2, 2, 0))).build()).getText(), "still serving");
        }
    }

    @Test
    void settingsAreChecked() {
        ServerSettings d = ServerSettings.DEFAULTS;
        assertEquals("port must be 0..65535, got 70000",
                assertThrows(IllegalArgumentException.class, () -> d.withPort(70000)).getMessage());
        assertEquals("max concurrent calls must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> d.withLimits(0, 1)).getMessage());
        assertEquals("max queued calls must be 0 or more, got -1",
                assertThrows(IllegalArgumentException.class, () -> d.withLimits(1, -1)).getMessage());
        assertEquals("the bearer token must not be blank",
                assertThrows(IllegalArgumentException.class, () -> d.withBearerToken(" ")).getMessage());
        assertEquals("TLS needs both a certificate and a private key",
                assertThrows(IllegalArgumentException.class, () -> d.withTls(Path.of("c.pem"), null)).getMessage());
        assertEquals("give a model or a modelLoader",
                assertThrows(IllegalStateException.class, () -> TransfusionServer.builder().build()).getMessage());
    }

    @Test
    void aTakenPortIsReportedWithTheAddress() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0))) {
            TransfusionServer second = TransfusionServer.builder().model(new FakeModel(0, 0))
                    .port(h.server.port()).shutdownTimings(Duration.ZERO, Duration.ZERO).build();
            UncheckedIOException e = assertThrows(UncheckedIOException.class, second::start);
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + h.server.port()), e.getMessage());
        }
    }

    @Test
    void missingTlsFilesAreReported() {
        TransfusionServer s = TransfusionServer.builder().model(new FakeModel(0, 0)).port(0)
                .tls(Path.of("/nonexistent/cert.pem"), Path.of("/nonexistent/key.pem")).build();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, s::start);
        assertTrue(e.getMessage().startsWith("cannot read the TLS certificate /nonexistent/cert.pem"), e.getMessage());
    }
}
