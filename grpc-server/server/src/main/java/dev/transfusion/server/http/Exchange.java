package dev.transfusion.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.transfusion.api.Cancellation;
import dev.transfusion.server.ConcurrencyLimiter;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request in flight and its one response: a JSON body, an OpenAI error, or a stream of server-sent
 * events. The connection closing (the client gone) cancels the request as a gRPC cancel does: the model stops
 * at its next token or step and a request still queued leaves the queue. Its metrics are recorded once, when
 * the response ends. Safe to answer from any thread (Netty hands writes to the channel's event loop).
 */
final class Exchange {
    private final Channel channel;
    private final String method;
    private final boolean keepAlive;
    private final ServerMetrics metrics;
    private final ConcurrencyLimiter limiter;
    private final long start = System.nanoTime();
    private final Cancellation sdk = new Cancellation();
    private final Cancellation decoding = new Cancellation();
    private final AtomicReference<@Nullable Runnable> queued = new AtomicReference<>();
    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicBoolean recorded = new AtomicBoolean();
    private final Runnable onDone;
    private final GenericFutureListener<Future<? super Void>> onClose = f -> cancel();
    private volatile boolean streaming;

    /** {@code onDone} runs on the channel's event loop once the response is written out. */
    Exchange(Channel channel, String method, boolean keepAlive, ServerMetrics metrics, ConcurrencyLimiter limiter,
             Runnable onDone) {
        this.channel = channel;
        this.onDone = onDone;
        this.method = method;
        this.keepAlive = keepAlive;
        this.metrics = metrics;
        this.limiter = limiter;
        channel.closeFuture().addListener(onClose);
    }

    /** Set when the client is gone; the SDK's stop signal for the model. */
    Cancellation cancellation() {
        return sdk;
    }

    /** Set when the client is gone or the images' decoding time ran out. */
    Cancellation decoding() {
        return decoding;
    }

    /** The model work queued for this request, withdrawn if the client leaves while it waits. */
    void queued(Runnable task) {
        queued.set(task);
        if (sdk.isCancelled()) {
            limiter.withdraw(task);
        }
    }

    boolean isCancelled() {
        return sdk.isCancelled();
    }

    private void cancel() {
        sdk.cancel();
        decoding.cancel();
        Runnable task = queued.get();
        if (task != null) {
            limiter.withdraw(task);
        }
        finish(499);   // nginx's "client closed request": counted, never sent
    }

    /** Answers with {@code body} as JSON. */
    void json(HttpResponseStatus status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = JsonFields.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
        full(status, "application/json", bytes);
    }

    /** Answers with {@code error}; inside an event stream, as a last {@code data:} event. */
    void fail(OpenAiError error) {
        if (streaming) {
            event(error.toJson());
            endEvents(error.status().code());
            return;
        }
        if (error.status().code() == 499) {
            finish(499);   // the client is gone: nobody to answer
            return;
        }
        json(error.status(), error.toJson());
    }

    /** Answers with {@code text}. */
    void text(HttpResponseStatus status, String contentType, String text) {
        full(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    private void full(HttpResponseStatus status, String contentType, byte[] bytes) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (status.code() == 429 || status.code() == 503) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        finish(status.code());
        send(r, true);
    }

    /** Starts a {@code text/event-stream} response (status 200). */
    void startEvents() {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        streaming = true;
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpUtil.setTransferEncodingChunked(r, true);
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        channel.writeAndFlush(r);
    }

    /** One {@code data:} event of the stream. */
    void event(JsonNode data) {
        try {
            raw(JsonFields.JSON.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    private void raw(String data) {
        if (streaming && channel.isActive()) {
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(
                    ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8))));
        }
    }

    /** Ends the stream with {@code data: [DONE]}, as OpenAI's does. */
    void endEvents() {
        raw("[DONE]");
        endEvents(200);
    }

    private void endEvents(int status) {
        if (!streaming) {
            return;
        }
        streaming = false;
        finish(status);
        send(LastHttpContent.EMPTY_LAST_CONTENT, false);
    }

    private void send(Object message, boolean full) {
        channel.closeFuture().removeListener(onClose);   // answered: a later close cancels nothing
        if (keepAlive) {
            channel.writeAndFlush(message).addListener(f -> onDone.run());   // listeners run on the event loop
        } else {
            if (full && message instanceof HttpResponse r) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            channel.writeAndFlush(message).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void finish(int status) {
        if (recorded.compareAndSet(false, true)) {
            metrics.request("http", method, Integer.toString(status), System.nanoTime() - start);
        }
    }
}
