package dev.transfusion.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one connection's requests, one at a time: a request a client pipelined behind another waits (up to 16,
 * then the connection closes), so that responses leave in order. Reading goes on meanwhile, so that a client
 * that hangs up is noticed and its model call cancelled. A connection with no request in flight that stays
 * silent for the gateway's idle time is closed.
 *
 * <p>{@code /healthz}, {@code /readyz} and {@code /metrics} are answered on the event loop, without credentials
 * (as gRPC health is); {@code /v1/...} needs the server's bearer token and runs on the server's callback pool, as
 * gRPC handlers do, so that parsing a large body never stalls the event loop.
 */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);
    private static final String MODELS = "/v1/models";
    private static final int MAX_PIPELINED = 16;

    private final HttpGateway.Backend backend;
    private final HttpGateway gateway;
    private final ImagesEndpoint images;
    private final ChatEndpoint chat;
    private final ArrayDeque<FullHttpRequest> pipelined = new ArrayDeque<>();
    private boolean busy;   // event loop only
    private @Nullable ChannelHandlerContext context;

    HttpRouter(HttpGateway.Backend backend, HttpGateway gateway, ModelGate gate) {
        this.backend = backend;
        this.gateway = gateway;
        this.images = new ImagesEndpoint(gate, backend.metrics());
        this.chat = new ChatEndpoint(gate, backend.metrics());
    }

    /** A bounded name for metrics: the route, never the raw path. */
    static String route(String path) {
        return switch (path) {
            case "/healthz", "/readyz", "/metrics", MODELS, ImagesEndpoint.ROUTE, ChatEndpoint.ROUTE -> path;
            default -> path.startsWith(MODELS + "/") ? MODELS + "/{id}" : "other";
        };
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        context = ctx;
        if (busy) {
            if (pipelined.size() >= MAX_PIPELINED) {
                ctx.close();   // a client that does not wait for answers at all
                return;
            }
            pipelined.add(req.retain());
            return;
        }
        busy = true;
        handle(ctx, req);
    }

    /** The response is out: on to the next pipelined request, if any. */
    private void done() {
        ChannelHandlerContext ctx = context;
        busy = false;
        if (ctx == null || !ctx.channel().isActive()) {
            return;
        }
        FullHttpRequest next = pipelined.poll();
        if (next != null) {
            busy = true;
            try {
                handle(ctx, next);
            } finally {
                next.release();
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent && !busy) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        pipelined.forEach(FullHttpRequest::release);
        pipelined.clear();
        super.channelInactive(ctx);
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
        Exchange ex = new Exchange(ctx.channel(), route(path), keepAlive, backend.metrics(), backend.limiter(),
                this::done);
        if (!req.decoderResult().isSuccess()) {
            ex.fail(OpenAiError.badRequest("malformed HTTP request: " + req.decoderResult().cause().getMessage(),
                    null));
            return;
        }
        HttpMethod method = req.method();
        switch (path) {
            case "/healthz" -> status(ex, method, true);
            case "/readyz" -> status(ex, method, false);
            case "/metrics" -> {
                if (allowed(ex, method, HttpMethod.GET)) {
                    ex.text(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                            backend.metrics().scrape());
                }
            }
            default -> api(ex, req, method, path);
        }
    }

    /**
     * {@code /healthz} answers 200 while the process serves HTTP at all (liveness: a loading or draining server
     * must not be restarted); {@code /readyz} 200 only while grpc.health.v1 reports SERVING, 503 while the model
     * loads and from the moment a drain starts. Both bodies say the gRPC serving status.
     */
    private void status(Exchange ex, HttpMethod method, boolean liveness) {
        if (!allowed(ex, method, HttpMethod.GET)) {
            return;
        }
        boolean serving = backend.serving().getAsBoolean();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", serving ? "SERVING" : "NOT_SERVING");
        ex.json(liveness || serving ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
    }

    private void api(Exchange ex, FullHttpRequest req, HttpMethod method, String path) {
        if (!path.equals("/v1") && !path.startsWith("/v1/")) {
            ex.fail(OpenAiError.notFound("no route " + method + " " + path + "; this server has /v1/chat/completions, "
                    + "/v1/images/generations, /v1/models, /metrics, /healthz and /readyz", null, "unknown_url"));
            return;
        }
        if (backend.auth() != null) {
            String problem = backend.auth().problem(req.headers().get(HttpHeaderNames.AUTHORIZATION));
            if (problem != null) {
                ex.fail(OpenAiError.unauthorized(problem.replace("metadata", "header")));
                return;
            }
        }
        if (gateway.isStopping()) {
            ex.fail(OpenAiError.of(io.grpc.Status.UNAVAILABLE.withDescription("the server is shutting down")
                    .asRuntimeException(), path));
            return;
        }
        byte[] body = ByteBufUtil.getBytes(req.content());   // the request is released when this returns
        try {
            backend.executor().execute(() -> {
                try {
                    dispatch(ex, method, path, body);
                } catch (RuntimeException | Error e) {
                    ex.fail(OpenAiError.of(e, route(path)));
                }
            });
        } catch (RejectedExecutionException e) {
            ex.fail(OpenAiError.of(io.grpc.Status.UNAVAILABLE.withDescription("the server is shutting down")
                    .asRuntimeException(), path));
        }
    }

    private void dispatch(Exchange ex, HttpMethod method, String path, byte[] body) {
        switch (path) {
            case ChatEndpoint.ROUTE -> {
                if (allowed(ex, method, HttpMethod.POST)) {
                    chat.handle(ex, body);
                }
            }
            case ImagesEndpoint.ROUTE -> {
                if (allowed(ex, method, HttpMethod.POST)) {
                    images.handle(ex, body);
                }
            }
            case MODELS -> {
                if (allowed(ex, method, HttpMethod.GET)) {
                    ModelsEndpoint.list(ex, gateway.gate().model().info());
                }
            }
            default -> {
                if (path.startsWith(MODELS + "/") && allowed(ex, method, HttpMethod.GET)) {
                    ModelsEndpoint.one(ex, gateway.gate().model().info(), path.substring(MODELS.length() + 1));
                } else if (!path.startsWith(MODELS + "/")) {
                    ex.fail(OpenAiError.notFound("no route " + method + " " + path + "; this server has "
                            + "/v1/chat/completions, /v1/images/generations and /v1/models", null, "unknown_url"));
                }
            }
        }
    }

    private static boolean allowed(Exchange ex, HttpMethod method, HttpMethod expected) {
        if (method.equals(expected)) {
            return true;
        }
        ex.fail(new OpenAiError(HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not allowed here; use "
                + expected, OpenAiError.INVALID_REQUEST, null, "method_not_allowed"));
        return false;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset connection, a TLS handshake from a port scanner: nothing to answer
        LOG.debug("HTTP connection from {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
