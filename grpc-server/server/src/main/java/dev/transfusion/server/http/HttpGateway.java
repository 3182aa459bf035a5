package dev.transfusion.server.http;

import dev.transfusion.api.TransfusionModel;
import dev.transfusion.server.BearerTokenInterceptor;
import dev.transfusion.server.ConcurrencyLimiter;
import dev.transfusion.server.ImageDecoding;
import dev.transfusion.server.RequestBudget;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The server's HTTP/1.1 port, beside gRPC in the same process: the OpenAI-compatible API under {@code /v1}
 * ({@code chat/completions}, {@code images/generations}, {@code models}), Prometheus metrics at
 * {@code /metrics}, and {@code /healthz} and {@code /readyz} for probes that do not speak gRPC. Netty's HTTP
 * codec on an event loop of its own; TLS with the gRPC port's certificate when that has one. Requests share
 * the gRPC service's limiter, decoding pool and budget ({@link Backend}).
 */
public final class HttpGateway implements AutoCloseable {
    /**
     * What the HTTP port serves from.
     *
     * @param model    the model once loaded, else null
     * @param serving  whether grpc.health.v1 reports SERVING (loaded, not draining)
     * @param limiter  the model slots, shared with gRPC
     * @param decoding the image decoding pool, shared with gRPC
     * @param budget   what one request may cost before a model slot
     * @param auth     the bearer token check, or null when the server has no token
     * @param metrics  where requests and generation are counted
     * @param executor where requests are parsed and checked (the gRPC callback pool)
     */
    public record Backend(Supplier<@Nullable TransfusionModel> model, BooleanSupplier serving,
                          ConcurrencyLimiter limiter, ImageDecoding decoding, RequestBudget budget,
                          @Nullable BearerTokenInterceptor auth, ServerMetrics metrics, Executor executor) {
    }

    private final EventLoopGroup loop;
    private final ModelGate gate;
    private volatile @Nullable Channel channel;
    private volatile boolean stopping;

    private HttpGateway(EventLoopGroup loop, ModelGate gate) {
        this.loop = loop;
        this.gate = gate;
    }

    /**
     * Listens on {@code host:port} (0: any free port).
     *
     * @param maxBody     largest request body in bytes; past it 413
     * @param certificate PEM certificate chain for TLS, or null for plain HTTP
     * @param privateKey  its PKCS#8 PEM key
     * @param idle        how long a connection with no request in flight may stay silent before it is closed
     * @throws UncheckedIOException when the port cannot be bound or the TLS files read
     */
    public static HttpGateway start(String host, int port, int maxBody, @Nullable Path certificate,
                                    @Nullable Path privateKey, Duration idle, Backend backend) {
        SslContext ssl = certificate == null ? null : ssl(certificate, privateKey);
        EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("transfusion-http", true));
        HttpGateway g = new HttpGateway(loop, new ModelGate(backend.model(), backend.limiter(), backend.decoding(),
                backend.budget()));
        try {
            g.channel = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            if (ssl != null) {
                                c.pipeline().addLast(ssl.newHandler(c.alloc()));
                            }
                            c.pipeline().addLast(new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS),
                                    new HttpServerCodec(), new BodyLimit(maxBody, backend.metrics()),
                                    new HttpRouter(backend, g, g.gate));
                        }
                    })
                    .bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
            return g;
        } catch (Exception e) {   // Netty rethrows the bind's IOException undeclared
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (e instanceof java.io.IOException io) {
                throw new UncheckedIOException("cannot listen for HTTP on " + host + ":" + port + ": "
                        + e.getMessage(), io);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private static SslContext ssl(Path certificate, @Nullable Path privateKey) {
        if (privateKey == null) {
            throw new IllegalArgumentException("TLS needs both a certificate and a private key");
        }
        try {
            return SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile()).build();
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            throw new UncheckedIOException("cannot use the TLS certificate " + certificate + " or key " + privateKey
                    + " for HTTP: " + e.getMessage(), new java.io.IOException(e));
        }
    }

    /** The port listened on (the bound one when 0 was asked for). */
    public int port() {
        return ((InetSocketAddress) java.util.Objects.requireNonNull(channel).localAddress()).getPort();
    }

    /** From now on {@code /v1} answers 503 (the drain); health and metrics still answer. */
    public void stopAccepting() {
        stopping = true;
    }

    boolean isStopping() {
        return stopping;
    }

    ModelGate gate() {
        return gate;
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        stopping = true;
        Channel c = channel;
        if (c != null) {
            c.close().syncUninterruptibly();
        }
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * The body limit, answering an oversized request with an OpenAI 413 rather than Netty's empty one: both when
     * the body turns out too large and when a client asks first ({@code Expect: 100-continue}, as curl does).
     */
    private static final class BodyLimit extends HttpObjectAggregator {
        private static final long CLOSE_AFTER_SECONDS = 10;   // a client still sending an oversized body by then is cut off
        private final int maxBody;
        private final ServerMetrics metrics;

        BodyLimit(int maxBody, ServerMetrics metrics) {
            super(maxBody, true);   // close after refusing an expectation: the body is not read
            this.maxBody = maxBody;
            this.metrics = metrics;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            // Closing with the rest of the body unread resets the connection, and a reset can destroy the answer
            // before the client reads it (seen in CI: "header parser received no bytes"). So once the answer is
            // out, end our side only (FIN) and read on: the aggregator drops the rest of an oversized body, the
            // connection closes when the client closes it, or after CLOSE_AFTER_SECONDS at the latest.
            ctx.writeAndFlush(tooLarge(oversized)).addListener(written -> {
                if (ctx.channel() instanceof SocketChannel socket && written.isSuccess()) {
                    socket.shutdownOutput();
                    ctx.executor().schedule(() -> ctx.close(), CLOSE_AFTER_SECONDS, TimeUnit.SECONDS);
                } else {
                    ctx.close();
                }
            });
        }

        @Override
        protected @Nullable Object newContinueResponse(HttpMessage start, int maxContentLength,
                                                       ChannelPipeline pipeline) {
            Object response = super.newContinueResponse(start, maxContentLength, pipeline);
            if (response instanceof FullHttpResponse r && r.status().code() == 413) {
                r.release();
                return tooLarge(start);
            }
            return response;
        }

        private FullHttpResponse tooLarge(HttpMessage message) {
            String route = message instanceof HttpRequest r
                    ? HttpRouter.route(new QueryStringDecoder(r.uri()).path()) : "other";
            OpenAiError e = OpenAiError.tooLarge("the request body is larger than the " + maxBody
                    + " bytes this server accepts");
            byte[] body = e.toJson().toString().getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, io.netty.buffer.Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            metrics.request("http", route, "413", 0);
            return response;
        }
    }
}
