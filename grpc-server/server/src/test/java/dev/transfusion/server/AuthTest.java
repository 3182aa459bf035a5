package dev.transfusion.server;

import static io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.GenerationOptions;
import dev.transfusion.server.ServerHarness.Transport;
import dev.transfusion.server.v1.GetModelInfoRequest;
import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.Test;

/** Bearer-token auth: UNAUTHENTICATED without the token, served with it, health always open. */
class AuthTest {
    private static final String TOKEN = "s3cret-token";

    @Test
    void tokenRequiredWhenConfigured() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0), b -> b.bearerToken(TOKEN))) {
            unauthenticated(h, null, "missing 'authorization: Bearer <token>' metadata");
            unauthenticated(h, "Bearer wrong", "invalid bearer token");
            unauthenticated(h, "Bearer " + TOKEN + "x", "invalid bearer token");
            unauthenticated(h, "Basic " + TOKEN, "the authorization metadata must be 'Bearer <token>'");
            assertEquals("fake", stub(h, "Bearer " + TOKEN).getModelInfo(GetModelInfoRequest.getDefaultInstance())
                    .getName());
            assertEquals(SERVING, h.health(""), "health needs no token");

            try (TransfusionClient good = TransfusionClient.builder("127.0.0.1:" + h.server.port())
                    .bearerToken(TOKEN).build();
                 TransfusionClient bad = TransfusionClient.connect("127.0.0.1", h.server.port())) {
                assertEquals("a red square 1x1", good.caption(FakeModel.solid(1, 1, 0), GenerationOptions.DEFAULTS));
                RemoteCallException e = assertThrows(RemoteCallException.class, bad::info);
                assertEquals(Status.Code.UNAUTHENTICATED, e.code());
            }
            assertEquals(1, h.model.generateCalls.get(), "only the authorised caption reached the model");
        }
    }

    @Test
    void noTokenNeededWhenAuthIsOff() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0))) {
            assertEquals("fake", stub(h, null).getModelInfo(GetModelInfoRequest.getDefaultInstance()).getName());
            assertEquals("fake", stub(h, "Bearer anything").getModelInfo(GetModelInfoRequest.getDefaultInstance())
                    .getName());
        }
    }

    private static void unauthenticated(ServerHarness h, String header, String message) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub(h, header).getModelInfo(GetModelInfoRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertEquals(message, e.getStatus().getDescription());
    }

    private static TransfusionGrpc.TransfusionBlockingStub stub(ServerHarness h, String header) {
        if (header == null) {
            return h.blocking();
        }
        Metadata m = new Metadata();
        m.put(BearerTokenInterceptor.AUTHORIZATION, header);
        return h.blocking().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
    }
}
