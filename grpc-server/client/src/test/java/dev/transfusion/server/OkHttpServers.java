package dev.transfusion.server;

import dev.transfusion.server.v1.Finished;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.GetModelInfoRequest;
import dev.transfusion.server.v1.ModelInfo;
import dev.transfusion.server.v1.TextDelta;
import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.okhttp.OkHttpServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Small transfusion.v1 servers on loopback over OkHttp, the transport this module's class path has (no Netty
 * here, by design): each answers GetModelInfo with its own name and Generate with "hello from NAME", and
 * reports health as the test sets it.
 */
final class OkHttpServers implements AutoCloseable {
    final List<Server> servers = new ArrayList<>();
    final List<HealthStatusManager> health = new ArrayList<>();
    final List<Named> services = new ArrayList<>();

    static OkHttpServers start(int count) throws IOException {
        OkHttpServers s = new OkHttpServers();
        try {
            for (int i = 0; i < count; i++) {
                HealthStatusManager h = new HealthStatusManager();
                h.setStatus(TransfusionGrpc.SERVICE_NAME, ServingStatus.SERVING);
                s.health.add(h);
                Named service = new Named("s" + i);
                s.services.add(service);
                s.servers.add(OkHttpServerBuilder.forPort(0, InsecureServerCredentials.create())
                        .addService(service).addService(h.getHealthService()).build().start());
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** {@code 127.0.0.1:PORT} of each server. */
    List<String> addresses() {
        return servers.stream().map(s -> "127.0.0.1:" + s.getPort()).collect(Collectors.toList());
    }

    @Override
    public void close() {
        for (Server s : servers) {
            s.shutdownNow();
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class Named extends TransfusionGrpc.TransfusionImplBase {
        private final String name;
        /** GetModelInfo calls answered so far, failed ones included. */
        final java.util.concurrent.atomic.AtomicInteger infoCalls = new java.util.concurrent.atomic.AtomicInteger();
        /** GetModelInfo calls still to fail, before any answer, with {@link #failWith}. */
        final java.util.concurrent.atomic.AtomicInteger failing = new java.util.concurrent.atomic.AtomicInteger();
        volatile io.grpc.Status failWith = io.grpc.Status.UNKNOWN;

        Named(String name) {
            this.name = name;
        }

        @Override
        public void getModelInfo(GetModelInfoRequest request, StreamObserver<ModelInfo> response) {
            infoCalls.incrementAndGet();
            if (failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                response.onError(failWith.withDescription("failed on purpose").asRuntimeException());
                return;
            }
            response.onNext(ModelInfo.newBuilder().setName(name).setParameterCount(1).setVocabSize(1).build());
            response.onCompleted();
        }

        @Override
        public void generate(GenerateRequest request, StreamObserver<GenerateEvent> events) {
            for (String word : List.of("hello", " from", " " + name)) {
                events.onNext(GenerateEvent.newBuilder().setText(TextDelta.newBuilder().setText(word)).build());
            }
            events.onNext(GenerateEvent.newBuilder().setFinished(Finished.newBuilder()
                    .setFinishReason("end_of_sequence").setGeneratedTokens(3).setSeed(7)).build());
            events.onCompleted();
        }
    }
}
