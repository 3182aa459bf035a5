package dev.transfusion.server;

import dev.transfusion.api.Transfusion;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.server.http.GrpcMetricsInterceptor;
import dev.transfusion.server.http.HttpGateway;
import dev.transfusion.server.http.ServerMetrics;
import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC server for one model: {@code transfusion.v1.Transfusion}, {@code grpc.health.v1.Health} and server
 * reflection (v1), on Netty (or in-process, for tests). Build with {@link #builder()}, then {@link #start()}: the
 * server listens at once and reports NOT_SERVING while the model loads, SERVING once it is loaded, and
 * NOT_SERVING again from the moment {@link #shutdown()} starts draining. With {@link Builder#httpPort(int)} it
 * also serves HTTP ({@link HttpGateway}: the OpenAI-compatible API, {@code /metrics}, {@code /healthz},
 * {@code /readyz}) from the same model slots.
 *
 * <pre>{@code
 * TransfusionServer server = TransfusionServer.builder()
 *         .modelLoader(() -> Transfusion.load(Path.of("out/model")))
 *         .port(50051).bearerToken(token).build().start();
 * server.awaitReady();
 * }</pre>
 */
public final class TransfusionServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransfusionServer.class);

    /** An HTTP connection with nothing in flight is closed after this long silent (clients reconnect). */
    private static final Duration HTTP_IDLE = Duration.ofMinutes(2);

    private final ServerSettings settings;
    private final Supplier<TransfusionModel> loader;
    private final boolean ownsModel;
    private final boolean logsLoadFailure;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ConcurrencyLimiter limiter;
    private final TransfusionService service;
    private final ExecutorService callbacks;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final ServerMetrics metrics = new ServerMetrics();
    private final @Nullable Integer httpPort;
    private volatile @Nullable HttpGateway http;
    private final Object lifecycle = new Object();
    private @Nullable Server server;
    private volatile @Nullable TransfusionModel model;
    private volatile @Nullable Throwable loadFailure;
    private volatile boolean draining;
    private boolean stopped;

    private TransfusionServer(ServerSettings settings, Supplier<TransfusionModel> loader, boolean ownsModel,
                              boolean logsLoadFailure, @Nullable Integer httpPort, PayloadLimits payloadLimits,
                              Supplier<ModalityRegistry> modalities) {
        this.settings = settings;
        this.httpPort = httpPort;
        this.loader = loader;
        this.ownsModel = ownsModel;
        this.logsLoadFailure = logsLoadFailure;
        this.limiter = new ConcurrencyLimiter(settings.maxConcurrent(), settings.maxQueued());
        this.service = new TransfusionService(limiter, settings.budget(), payloadLimits, new PluginParts(modalities));
        metrics.watch(limiter);
        // gRPC's own callbacks (request parsing, image decoding, admission) get a small fixed pool: bounded,
        // and apart from both Netty's event loops (network I/O only) and the model pool (long work).
        this.callbacks = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                ConcurrencyLimiter.threads("transfusion-grpc-"));
    }

    /** A builder with the defaults of {@link ServerSettings}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening and begins loading the model in the background; returns at once.
     *
     * @throws UncheckedIOException when the port cannot be bound or the TLS files cannot be read
     */
    public TransfusionServer start() {
        synchronized (lifecycle) {
            if (server != null) {
                throw new IllegalStateException("already started");
            }
            health.setStatus("", ServingStatus.NOT_SERVING);
            health.setStatus(TransfusionGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
            Server s;
            try {
                s = buildServer().start();
            } catch (IOException | RuntimeException e) {
                callbacks.shutdown();
                limiter.shutdown();
                service.shutdown();
                if (e instanceof IOException io) {
                    throw new UncheckedIOException("cannot listen on " + settings.host() + ":" + settings.port()
                            + ": " + e.getMessage(), io);
                }
                throw (RuntimeException) e;
            }
            if (httpPort != null) {
                try {
                    http = startHttp(httpPort);
                } catch (RuntimeException e) {   // the port is taken, say: the whole server fails to start
                    s.shutdownNow();
                    callbacks.shutdown();
                    limiter.shutdown();
                    service.shutdown();
                    throw e;
                }
            }
            server = s;
        }
        Thread t = new Thread(this::load, "transfusion-model-loader");
        t.setDaemon(true);
        t.start();
        return this;
    }

    private void load() {
        try {
            TransfusionModel m = loader.get();
            synchronized (lifecycle) {
                if (stopped) {   // shut down while loading: nobody will serve or close it but us
                    if (ownsModel) {
                        m.close();
                    }
                    loadFailure = new IllegalStateException("the server shut down while the model was loading");
                    return;
                }
                model = m;
                metrics.passesFrom(m);   // a batching model reports its real batch sizes
                service.attach(m);
                health.setStatus("", ServingStatus.SERVING);
                health.setStatus(TransfusionGrpc.SERVICE_NAME, ServingStatus.SERVING);
            }
        } catch (RuntimeException | Error e) {
            loadFailure = e;
            if (!logsLoadFailure) {
                return;   // the caller reports it (awaitReady throws it): once is enough
            }
            if (e instanceof dev.transfusion.api.TransfusionException) {
                // the SDK's message names the file and what is wrong: a stack trace would only bury it
                LOG.error("loading the model failed; the server stays NOT_SERVING: {}", e.getMessage());
            } else {
                LOG.error("loading the model failed; the server stays NOT_SERVING", e);
            }
        } finally {
            loaded.countDown();
        }
    }

    private HttpGateway startHttp(int port) {
        // the JSON carries images in base64 (4/3 of their bytes): the gRPC size limit, with room for that
        int maxBody = (int) Math.min(Integer.MAX_VALUE, settings.maxInboundMessageSize() * 4L / 3 + 64 * 1024);
        BearerTokenInterceptor auth = settings.bearerToken() == null ? null
                : new BearerTokenInterceptor(settings.bearerToken());
        return HttpGateway.start(settings.host(), port, maxBody, settings.tlsCertificate(), settings.tlsPrivateKey(),
                HTTP_IDLE, new HttpGateway.Backend(() -> model, this::isServing, limiter, service.decoding(), settings.budget(),
                        auth, metrics, callbacks));
    }

    private Server buildServer() {
        ServerBuilder<?> b;
        if (settings.inProcessName() != null) {
            b = InProcessServerBuilder.forName(settings.inProcessName());
        } else {
            ServerCredentials credentials = settings.tlsCertificate() == null ? InsecureServerCredentials.create()
                    : tls(settings);
            b = NettyTuning.apply(NettyServerBuilder.forAddress(
                    new InetSocketAddress(settings.host(), settings.port()), credentials));
        }
        b.executor(callbacks);
        b.intercept(new GrpcMetricsInterceptor(metrics));   // all services, ahead of auth: refusals count too
        // The default 4 MiB is too small for a large PNG or JPEG prompt; a bound stays, so that one request
        // cannot make the server buffer an arbitrary amount before the pixel limit is even checked.
        b.maxInboundMessageSize(settings.maxInboundMessageSize());
        if (b instanceof NettyServerBuilder netty) {
            // HTTP/2 MAX_CONCURRENT_STREAMS: one connection cannot open 2^31 calls, each buffering a request
            netty.maxConcurrentCallsPerConnection(settings.budget().maxStreamsPerConnection());
        }
        BearerTokenInterceptor auth = settings.bearerToken() == null ? null
                : new BearerTokenInterceptor(settings.bearerToken());
        b.addService(secured(RequestParsing.wrap(service.bindService()), auth));
        b.addService(secured(ProtoReflectionServiceV1.newInstance().bindService(), auth));
        // v1alpha as well: older grpcurl, Evans and Postman ask only for it (deprecated in grpc-java, kept
        // for those clients; both serve the same descriptors)
        b.addService(secured(reflectionV1Alpha(), auth));
        b.addService(health.getHealthService());   // always open: load balancers probe without credentials
        return b.build();
    }

    private static ServerServiceDefinition secured(ServerServiceDefinition s, @Nullable BearerTokenInterceptor auth) {
        return auth == null ? s : ServerInterceptors.intercept(s, auth);
    }

    private static ServerCredentials tls(ServerSettings s) {
        try {
            return TlsServerCredentials.create(s.tlsCertificate().toFile(), s.tlsPrivateKey().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS certificate " + s.tlsCertificate() + " or key "
                    + s.tlsPrivateKey() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until the model is loaded.
     *
     * @throws IllegalStateException when loading failed (the cause says why)
     */
    public void awaitReady() throws InterruptedException {
        loaded.await();
        Throwable f = loadFailure;
        if (f != null) {
            throw new IllegalStateException("the model failed to load: " + f.getMessage(), f);
        }
    }

    /** Whether the model is loaded and the server not draining. */
    public boolean isServing() {
        return model != null && !draining;
    }

    /** The port listened on (the bound one when 0 was asked for); -1 in-process. */
    public int port() {
        Server s = requireStarted();
        return settings.inProcessName() != null ? -1 : s.getPort();
    }

    /** {@code host:port} as a client would dial it, or {@code in-process:NAME}. */
    public String address() {
        if (settings.inProcessName() != null) {
            return "in-process:" + settings.inProcessName();
        }
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return host + ":" + port();
    }

    /** What the loaded model is, or null while it loads. */
    public dev.transfusion.api.@Nullable ModelInfo modelInfo() {
        TransfusionModel m = model;
        return m == null ? null : m.info();
    }

    /** The HTTP port listened on (the bound one when 0 was asked for); -1 without HTTP. */
    public int httpPort() {
        requireStarted();
        HttpGateway h = http;
        return h == null ? -1 : h.port();
    }

    /** What this server counts (scraped at {@code /metrics} on the HTTP port). */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** The settings this server runs with. */
    public ServerSettings settings() {
        return settings;
    }

    /** The limiter in front of the model (to watch load). */
    public ConcurrencyLimiter limiter() {
        return limiter;
    }

    /**
     * Drains and stops; blocks until done, and is safe to call twice. Health turns NOT_SERVING first, and the
     * server keeps accepting calls for {@link ServerSettings#drainNotice()} so that health checkers see it
     * before connections are refused; then it accepts no new calls and waits up to
     * {@link ServerSettings#shutdownGrace()} for calls in flight, cancels what is left (the model stops within
     * a step), and closes the model if it loaded it.
     */
    public void shutdown() {
        Server s;
        synchronized (lifecycle) {
            if (stopped || server == null) {
                stopped = true;
                return;
            }
            stopped = true;
            health.enterTerminalState();   // NOT_SERVING for every service, and it stays so: before isServing turns
            draining = true;               // false, so that no one sees a draining server still reporting SERVING
            s = server;
        }
        try {
            sleep(settings.drainNotice());
            HttpGateway h = http;
            if (h != null) {
                h.stopAccepting();   // as gRPC's shutdown: new API calls refused, those in flight finish
            }
            s.shutdown();
            if (!s.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("calls still running after {}; cancelling them", settings.shutdownGrace());
                s.shutdownNow();
                s.awaitTermination(5, TimeUnit.SECONDS);
            }
            limiter.shutdown();
            limiter.awaitTermination(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            s.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            limiter.shutdown();
            service.shutdown();
            callbacks.shutdown();
            HttpGateway h = http;
            if (h != null) {
                h.close();
            }
            TransfusionModel m = model;
            if (ownsModel && m != null) {
                m.close();
            }
        }
    }

    /** Blocks until the server has stopped. */
    public void awaitTermination() throws InterruptedException {
        requireStarted().awaitTermination();
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    private Server requireStarted() {
        synchronized (lifecycle) {
            if (server == null) {
                throw new IllegalStateException("not started");
            }
            return server;
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isZero() && !d.isNegative()) {
            Thread.sleep(d.toMillis());
        }
    }

    /** Builds a {@link TransfusionServer}; settings not given take {@link ServerSettings}'s defaults. */
    public static final class Builder {
        private ServerSettings settings = ServerSettings.DEFAULTS;
        private @Nullable Supplier<TransfusionModel> loader;
        private boolean ownsModel;
        private boolean logsLoadFailure = true;
        private @Nullable Integer httpPort;
        private PayloadLimits payloadLimits = PayloadLimits.DEFAULTS;
        private Supplier<ModalityRegistry> modalities = Transfusion::registry;

        private Builder() {
        }

        /** What the parts of other modalities in one request may hold (default {@link PayloadLimits#DEFAULTS}). */
        public Builder payloadLimits(PayloadLimits limits) {
            this.payloadLimits = java.util.Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * The plugins that read and write encoded parts ({@code audio/wav}, ...); default the engine's
         * ({@link Transfusion#registry()}: the class path and {@code --plugins} jars).
         */
        public Builder modalities(ModalityRegistry registry) {
            java.util.Objects.requireNonNull(registry, "registry");
            this.modalities = () -> registry;
            return this;
        }

        /**
         * Whether a model that fails to load is logged (the default); a caller that reports the failure from
         * {@link #awaitReady()} itself, as the command line does, turns it off so that it is said once.
         */
        public Builder logLoadFailure(boolean log) {
            this.logsLoadFailure = log;
            return this;
        }

        /** Serves an already loaded model; the caller keeps ownership and closes it. */
        public Builder model(TransfusionModel model) {
            this.loader = () -> model;
            this.ownsModel = false;
            return this;
        }

        /** Loads the model after the server starts listening; the server closes it on shutdown. */
        public Builder modelLoader(Supplier<TransfusionModel> loader) {
            this.loader = loader;
            this.ownsModel = true;
            return this;
        }

        /** All settings at once. */
        public Builder settings(ServerSettings settings) {
            this.settings = settings;
            return this;
        }

        /** Address to bind (default 127.0.0.1). */
        public Builder host(String host) {
            settings = settings.withHost(host);
            return this;
        }

        /** TCP port (default 50051; 0 picks a free one, see {@link TransfusionServer#port()}). */
        public Builder port(int port) {
            settings = settings.withPort(port);
            return this;
        }

        /** Serve in-process under {@code name} instead of on Netty (tests, embedding). */
        public Builder inProcess(String name) {
            settings = settings.withInProcessName(name);
            return this;
        }

        /** Model calls running at once (default 1) and waiting (default 8). */
        public Builder limits(int maxConcurrent, int maxQueued) {
            settings = settings.withLimits(maxConcurrent, maxQueued);
            return this;
        }

        /** Require {@code authorization: Bearer <token>}; null turns auth off. */
        public Builder bearerToken(@Nullable String token) {
            settings = settings.withBearerToken(token);
            return this;
        }

        /** TLS with a PEM certificate chain and its PKCS#8 PEM private key. */
        public Builder tls(java.nio.file.Path certificate, java.nio.file.Path privateKey) {
            settings = settings.withTls(certificate, privateKey);
            return this;
        }

        /** What one request may cost before it reaches a model slot (default {@link RequestBudget#DEFAULTS}). */
        public Builder budget(RequestBudget budget) {
            settings = settings.withBudget(budget);
            return this;
        }

        /** Largest request in bytes (default 8 MiB). */
        public Builder maxInboundMessageSize(int bytes) {
            settings = settings.withMaxInboundMessageSize(bytes);
            return this;
        }

        /** NOT_SERVING notice before refusing calls, and grace for calls in flight (defaults 2 s, 30 s). */
        public Builder shutdownTimings(Duration drainNotice, Duration grace) {
            settings = settings.withShutdown(drainNotice, grace);
            return this;
        }

        /**
         * Also serve HTTP on {@code port} of the same host (0: any free one, see
         * {@link TransfusionServer#httpPort()}): the OpenAI-compatible API, metrics and health.
         */
        public Builder httpPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("HTTP port must be 0..65535, got " + port);
            }
            this.httpPort = port;
            return this;
        }

        /** The server, not yet started. */
        public TransfusionServer build() {
            if (loader == null) {
                throw new IllegalStateException("give a model or a modelLoader");
            }
            return new TransfusionServer(settings, loader, ownsModel, logsLoadFailure, httpPort, payloadLimits,
                    modalities);
        }
    }

    @SuppressWarnings("deprecation")   // the v1alpha service: see where it is added
    private static ServerServiceDefinition reflectionV1Alpha() {
        return ProtoReflectionService.newInstance().bindService();
    }
}
