package dev.transfusion.server;

import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A started server over a {@link FakeModel} and a plaintext channel to it; closing stops both. */
final class ServerHarness implements AutoCloseable {
    enum Transport { IN_PROCESS, NETTY }

    final FakeModel model;
    final TransfusionServer server;
    final ManagedChannel channel;

    private ServerHarness(FakeModel model, TransfusionServer server, ManagedChannel channel) {
        this.model = model;
        this.server = server;
        this.channel = channel;
    }

    static ServerHarness start(Transport transport, FakeModel model, UnaryOperator<TransfusionServer.Builder> config)
            throws InterruptedException {
        TransfusionServer.Builder b = TransfusionServer.builder().model(model)
                .shutdownTimings(Duration.ZERO, Duration.ofSeconds(5));
        String name = "transfusion-test-" + UUID.randomUUID();
        b = transport == Transport.IN_PROCESS ? b.inProcess(name) : b.host("127.0.0.1").port(0);
        TransfusionServer server = config.apply(b).build().start();
        server.awaitReady();
        ManagedChannel channel = transport == Transport.IN_PROCESS
                ? InProcessChannelBuilder.forName(name).build()
                : NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        return new ServerHarness(model, server, channel);
    }

    static ServerHarness start(Transport transport, FakeModel model) throws InterruptedException {
        return start(transport, model, b -> b);
    }

    TransfusionGrpc.TransfusionBlockingStub blocking() {
        return TransfusionGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    TransfusionGrpc.TransfusionStub async() {
        return TransfusionGrpc.newStub(channel);
    }

    TransfusionClient client() {
        return TransfusionClient.over(channel);
    }

    HealthCheckResponse.ServingStatus health(String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdown();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
