package dev.transfusion.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link TransfusionServer} listens and protects itself. Immutable; change with the {@code with...}
 * methods or through {@link TransfusionServer.Builder}.
 *
 * @param host                  address to bind; 127.0.0.1 (the default) is reachable from this machine only
 * @param port                  TCP port, 0 for any free one
 * @param inProcessName         when set, an in-process server of that name instead of Netty (tests)
 * @param maxConcurrent         model calls running at once, at least 1
 * @param maxQueued             model calls waiting for a slot; past them RESOURCE_EXHAUSTED
 * @param bearerToken           when set, calls must carry {@code authorization: Bearer <token>}
 * @param tlsCertificate        PEM certificate chain; with {@code tlsPrivateKey}, turns TLS on
 * @param tlsPrivateKey         PEM private key (PKCS#8) of the certificate
 * @param maxInboundMessageSize largest request in bytes
 * @param drainNotice           how long health reports NOT_SERVING before a shutdown refuses new calls
 * @param shutdownGrace         how long a shutdown waits for calls in flight before cancelling them
 * @param budget                what one request may cost before it reaches a model slot
 */
public record ServerSettings(String host, int port, @Nullable String inProcessName, int maxConcurrent, int maxQueued,
                             @Nullable String bearerToken, @Nullable Path tlsCertificate, @Nullable Path tlsPrivateKey,
                             int maxInboundMessageSize, Duration drainNotice, Duration shutdownGrace,
                             RequestBudget budget) {

    /**
     * Loopback, port 50051, 16 model calls at once (a batching model runs their steps in shared passes,
     * the engine's default batch) with 8 waiting, no auth, no TLS, 8 MiB requests (a large PNG or JPEG fits;
     * millions of unknown fields do not), a 2 s drain notice, 30 s of grace and {@link RequestBudget#DEFAULTS}.
     */
    public static final ServerSettings DEFAULTS = new ServerSettings("127.0.0.1", 50051, null, 16, 8, null, null, null,
            8 * 1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(30), RequestBudget.DEFAULTS);

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        check(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
        check(maxConcurrent >= 1, "max concurrent calls must be at least 1, got " + maxConcurrent);
        check(maxQueued >= 0, "max queued calls must be 0 or more, got " + maxQueued);
        check(bearerToken == null || !bearerToken.isBlank(), "the bearer token must not be blank");
        check((tlsCertificate == null) == (tlsPrivateKey == null), "TLS needs both a certificate and a private key");
        check(maxInboundMessageSize >= 1024, "max inbound message size must be at least 1024 bytes, got "
                + maxInboundMessageSize);
        check(!drainNotice.isNegative(), "drain notice must not be negative");
        check(!shutdownGrace.isNegative(), "shutdown grace must not be negative");
        Objects.requireNonNull(budget, "budget");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Whether TLS is on. */
    public boolean tls() {
        return tlsCertificate != null;
    }

    /** With another bind address. */
    public ServerSettings withHost(String v) {
        return new ServerSettings(v, port, inProcessName, maxConcurrent, maxQueued, bearerToken, tlsCertificate,
                tlsPrivateKey, maxInboundMessageSize, drainNotice, shutdownGrace, budget);
    }

    /** With another port. */
    public ServerSettings withPort(int v) {
        return new ServerSettings(host, v, inProcessName, maxConcurrent, maxQueued, bearerToken, tlsCertificate,
                tlsPrivateKey, maxInboundMessageSize, drainNotice, shutdownGrace, budget);
    }

    /** In-process under {@code v} (null: Netty). */
    public ServerSettings withInProcessName(@Nullable String v) {
        return new ServerSettings(host, port, v, maxConcurrent, maxQueued, bearerToken, tlsCertificate,
                tlsPrivateKey, maxInboundMessageSize, drainNotice, shutdownGrace, budget);
    }

    /** With other concurrency limits. */
    public ServerSettings withLimits(int concurrent, int queued) {
        return new ServerSettings(host, port, inProcessName, concurrent, queued, bearerToken, tlsCertificate,
                tlsPrivateKey, maxInboundMessageSize, drainNotice, shutdownGrace, budget);
    }

    /** With a bearer token (null: no auth). */
    public ServerSettings withBearerToken(@Nullable String v) {
        return new ServerSettings(host, port, inProcessName, maxConcurrent, maxQueued, v, tlsCertificate,
                tlsPrivateKey, maxInboundMessageSize, drainNotice, shutdownGrace, budget);
    }

    /** With TLS from these PEM files (both null: no TLS). */
    public ServerSettings withTls(@Nullable Path certificate, @Nullable Path privateKey) {
        return new ServerSettings(host, port, inProcessName, maxConcurrent, maxQueued, bearerToken, certificate,
                privateKey, maxInboundMessageSize, drainNotice, shutdownGrace, budget);
    }

    /** With another request size limit. */
    public ServerSettings withMaxInboundMessageSize(int v) {
        return new ServerSettings(host, port, inProcessName, maxConcurrent, maxQueued, bearerToken, tlsCertificate,
                tlsPrivateKey, v, drainNotice, shutdownGrace, budget);
    }

    /** With another budget per request. */
    public ServerSettings withBudget(RequestBudget v) {
        return new ServerSettings(host, port, inProcessName, maxConcurrent, maxQueued, bearerToken, tlsCertificate,
                tlsPrivateKey, maxInboundMessageSize, drainNotice, shutdownGrace, v);
    }

    /** With other shutdown timings. */
    public ServerSettings withShutdown(Duration notice, Duration grace) {
        return new ServerSettings(host, port, inProcessName, maxConcurrent, maxQueued, bearerToken, tlsCertificate,
                tlsPrivateKey, maxInboundMessageSize, notice, grace, budget);
    }
}
