package dev.transfusion.server;

import com.google.protobuf.DiscardUnknownFieldsParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Answers a request whose bytes are no valid message (cut short, a string field that is not UTF-8, a wrong wire
 * type) with INVALID_ARGUMENT and the parser's reason. Left to gRPC, the parse failure surfaces as UNKNOWN
 * "Application error processing RPC", which blames the server for the caller's bytes and says nothing useful.
 *
 * <p>Each method's request marshaller is wrapped so that it never throws: it hands over either the message or
 * the failure, and the call is closed here before the service sees anything.
 */
final class RequestParsing {
    private RequestParsing() {
    }

    /** The parsed request, or why it could not be parsed. */
    record Parsed<T>(@Nullable T message, @Nullable RuntimeException failure) {
    }

    /** {@code service} with every method's request parsing wrapped. */
    static ServerServiceDefinition wrap(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        // the schema descriptor stays, so that server reflection still lists and describes the service
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            ServerMethodDefinition<?, ?> w = wrap(m);
            methods.add(w);
            descriptor.addMethod(w.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(b::addMethod);
        return b.build();
    }

    private static <Q, R> ServerMethodDefinition<Parsed<Q>, R> wrap(ServerMethodDefinition<Q, R> def) {
        MethodDescriptor<Q, R> method = def.getMethodDescriptor();
        MethodDescriptor.Marshaller<Q> requests = method.getRequestMarshaller();
        @SuppressWarnings({"unchecked", "rawtypes"})
        Parser<Q> parser = requests instanceof MethodDescriptor.PrototypeMarshaller<Q> p
                && p.getMessagePrototype() instanceof Message m
                ? (Parser<Q>) DiscardUnknownFieldsParser.wrap((Parser) m.getParserForType()) : null;
        MethodDescriptor.Marshaller<Parsed<Q>> lenient = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Parsed<Q> value) {
                return requests.stream(value.message());
            }

            @Override
            public Parsed<Q> parse(InputStream stream) {
                try {
                    return new Parsed<>(parser == null ? requests.parse(stream) : withoutUnknownFields(parser, stream),
                            null);
                } catch (RuntimeException e) {
                    return new Parsed<>(null, e);
                }
            }
        };
        MethodDescriptor<Parsed<Q>, R> wrapped = method.toBuilder(lenient, method.getResponseMarshaller()).build();
        String type = method.getRequestMarshaller() instanceof MethodDescriptor.ReflectableMarshaller<Q> r
                ? r.getMessageClass().getSimpleName() : "request";
        String name = method.getServiceName() == null ? type
                : method.getServiceName().substring(0, method.getServiceName().lastIndexOf('.') + 1) + type;
        ServerCallHandler<Parsed<Q>, R> handler = (call, headers) -> start(def, method, name, call, headers);
        return ServerMethodDefinition.create(wrapped, handler);
    }

    private static <Q, R> ServerCall.Listener<Parsed<Q>> start(ServerMethodDefinition<Q, R> def,
            MethodDescriptor<Q, R> method, String name, ServerCall<Parsed<Q>, R> call, Metadata headers) {
        ServerCall.Listener<Q> inner = def.getServerCallHandler().startCall(new Unwrapped<>(call, method), headers);
        return new ServerCall.Listener<>() {
            private boolean refused;

            @Override
            public void onMessage(Parsed<Q> request) {
                if (refused) {
                    return;
                }
                if (request.failure() != null) {
                    refused = true;
                    Status size = sizeError(request.failure());
                    call.close(size != null ? size : Status.INVALID_ARGUMENT.withDescription("the request is not a valid "
                            + name + ": " + why(request.failure())), new Metadata());
                    return;
                }
                inner.onMessage(request.message());
            }

            @Override
            public void onHalfClose() {
                if (!refused) {   // the service would answer a second time, for a call without its request
                    inner.onHalfClose();
                }
            }

            @Override
            public void onCancel() {
                inner.onCancel();
            }

            @Override
            public void onComplete() {
                inner.onComplete();
            }

            @Override
            public void onReady() {
                if (!refused) {
                    inner.onReady();
                }
            }
        };
    }

    /**
     * Parses skipping unknown fields instead of keeping them: a request of millions of tiny unknown fields
     * would otherwise cost far more memory and time than its bytes.
     */
    private static <Q> Q withoutUnknownFields(Parser<Q> parser, InputStream stream) {
        try {
            return parser.parseFrom(stream);
        } catch (InvalidProtocolBufferException e) {
            throw Status.INTERNAL.withDescription("Invalid protobuf byte sequence").withCause(e).asRuntimeException();
        }
    }

    /**
     * The RESOURCE_EXHAUSTED a size limit raised while the message was read (a compressed request that
     * inflates past the limit), wherever the parser wrapped it; null when the failure is about the bytes.
     */
    private static @Nullable Status sizeError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Status s = t instanceof StatusRuntimeException sre ? sre.getStatus() : null;
            if (s != null && s.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                return s;
            }
        }
        return null;
    }

    /** The parser's own words: gRPC wraps them in "Invalid protobuf byte sequence". */
    private static String why(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** The call as the service expects it: its original method descriptor, requests already unwrapped. */
    private static final class Unwrapped<Q, R> extends ServerCall<Q, R> {
        private final ServerCall<Parsed<Q>, R> call;
        private final MethodDescriptor<Q, R> method;

        Unwrapped(ServerCall<Parsed<Q>, R> call, MethodDescriptor<Q, R> method) {
            this.call = call;
            this.method = method;
        }

        @Override
        public void request(int numMessages) {
            call.request(numMessages);
        }

        @Override
        public void sendHeaders(Metadata headers) {
            call.sendHeaders(headers);
        }

        @Override
        public void sendMessage(R message) {
            call.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            call.close(status, trailers);
        }

        @Override
        public boolean isCancelled() {
            return call.isCancelled();
        }

        @Override
        public boolean isReady() {
            return call.isReady();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            call.setMessageCompression(enabled);
        }

        @Override
        public void setCompression(String compressor) {
            call.setCompression(compressor);
        }

        @Override
        public Attributes getAttributes() {
            return call.getAttributes();
        }

        @Override
        public @Nullable String getAuthority() {
            return call.getAuthority();
        }

        @Override
        public SecurityLevel getSecurityLevel() {
            return call.getSecurityLevel();
        }

        @Override
        public MethodDescriptor<Q, R> getMethodDescriptor() {
            return method;
        }
    }
}
