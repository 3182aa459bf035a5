package dev.transfusion.server;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a call through only with {@code authorization: Bearer <token>} metadata matching the server's token;
 * otherwise closes it with UNAUTHENTICATED before any request is read. The comparison is constant-time
 * (over SHA-256 digests, so the token's length does not leak either). The server installs it on the model and
 * reflection services, never on health, so that load balancers probe without credentials.
 */
public final class BearerTokenInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String PREFIX = "Bearer ";

    private final byte[] expected;

    /** Accepts calls that present {@code token}, which must not be blank. */
    public BearerTokenInterceptor(String token) {
        if (token.isBlank()) {
            throw new IllegalArgumentException("the bearer token must not be blank");
        }
        this.expected = sha256(token);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String problem = problem(headers.get(AUTHORIZATION));
        if (problem == null) {
            return next.startCall(call, headers);
        }
        call.close(Status.UNAUTHENTICATED.withDescription(problem), new Metadata());
        return new ServerCall.Listener<>() { };
    }

    /**
     * What is wrong with an {@code authorization} value (gRPC metadata or an HTTP header), or null when it
     * carries the token.
     */
    public @org.jspecify.annotations.Nullable String problem(@org.jspecify.annotations.Nullable String header) {
        if (header == null) {
            return "missing 'authorization: Bearer <token>' metadata";
        } else if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return "the authorization metadata must be 'Bearer <token>'";
        } else if (!MessageDigest.isEqual(expected, sha256(header.substring(PREFIX.length()).trim()))) {
            return "invalid bearer token";
        }
        return null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
