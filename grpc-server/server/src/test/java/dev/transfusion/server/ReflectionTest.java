package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.server.ServerHarness.Transport;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Server reflection lists the service and hands out its descriptor, as grpcurl uses it: v1, and v1alpha, the
 * only version older grpcurl, Evans and Postman ask for.
 */
class ReflectionTest {

    @Test
    void reflectionListsTheServices() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0))) {
            ServerReflectionResponse list = ask(h, ServerReflectionRequest.newBuilder().setListServices("").build());
            List<String> names = list.getListServicesResponse().getServiceList().stream()
                    .map(ServiceResponse::getName).toList();
            assertTrue(names.containsAll(List.of("transfusion.v1.Transfusion", "grpc.health.v1.Health",
                    "grpc.reflection.v1.ServerReflection")), names.toString());

            ServerReflectionResponse file = ask(h, ServerReflectionRequest.newBuilder()
                    .setFileContainingSymbol("transfusion.v1.Transfusion").build());
            assertFalse(file.getFileDescriptorResponse().getFileDescriptorProtoList().isEmpty());
            String descriptor = file.getFileDescriptorResponse().getFileDescriptorProto(0).toStringUtf8();
            assertTrue(descriptor.contains("transfusion/v1/transfusion.proto"), descriptor);
        }
    }

    @Test
    @SuppressWarnings("deprecation")   // v1alpha is deprecated in grpc-java; older clients still speak only it
    void reflectionV1AlphaServesTheSameDescriptor() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0))) {
            CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> answer = new CompletableFuture<>();
            StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests =
                    io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(h.channel).serverReflectionInfo(
                            new StreamObserver<>() {
                                @Override
                                public void onNext(io.grpc.reflection.v1alpha.ServerReflectionResponse value) {
                                    answer.complete(value);
                                }

                                @Override
                                public void onError(Throwable t) {
                                    answer.completeExceptionally(t);
                                }

                                @Override
                                public void onCompleted() {
                                }
                            });
            requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                    .setFileContainingSymbol("transfusion.v1.Transfusion").build());
            try {
                String descriptor = answer.get(10, TimeUnit.SECONDS).getFileDescriptorResponse()
                        .getFileDescriptorProto(0).toStringUtf8();
                assertTrue(descriptor.contains("transfusion/v1/transfusion.proto"), descriptor);
            } finally {
                requests.onCompleted();
            }
        }
    }

    private static ServerReflectionResponse ask(ServerHarness h, ServerReflectionRequest request) throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(h.channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(request);
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } finally {
            requests.onCompleted();
        }
    }
}
