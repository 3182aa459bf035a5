package dev.transfusion.server;

import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** Calls with hand-made request bytes, which the generated stubs cannot send (invalid UTF-8, no message at all). */
final class RawCalls {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private RawCalls() {
    }

    /** A unary call of {@code method} (e.g. "Caption"); returns the response bytes. */
    static byte[] unary(Channel channel, String method, byte[] request) {
        return ClientCalls.blockingUnaryCall(channel, descriptor(method, MethodDescriptor.MethodType.UNARY),
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), request);
    }

    /** A server-streaming call of {@code method}, read to the end. */
    static void serverStreaming(Channel channel, String method, byte[] request) {
        ClientCalls.blockingServerStreamingCall(channel, descriptor(method, MethodDescriptor.MethodType.SERVER_STREAMING),
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), request).forEachRemaining(x -> { });
    }

    private static MethodDescriptor<byte[], byte[]> descriptor(String method, MethodDescriptor.MethodType type) {
        return MethodDescriptor.newBuilder(BYTES, BYTES).setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(TransfusionGrpc.SERVICE_NAME, method)).build();
    }
}
