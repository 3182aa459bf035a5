package dev.transfusion.server.http;

import dev.transfusion.server.v1.AnswerResponse;
import dev.transfusion.server.v1.CaptionResponse;
import dev.transfusion.server.v1.GenerateEvent;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts every gRPC call into {@link ServerMetrics}: one latency observation by method and final status
 * (a call the client cancels counts as CANCELLED), and the tokens and denoising steps its replies report, so
 * that the service itself needs no metrics code. Installed on the whole server, ahead of authentication, so
 * that refused calls (UNAUTHENTICATED) are counted too.
 */
public final class GrpcMetricsInterceptor implements ServerInterceptor {
    private final ServerMetrics metrics;

    public GrpcMetricsInterceptor(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        long start = System.nanoTime();
        String method = call.getMethodDescriptor().getFullMethodName();
        AtomicBoolean recorded = new AtomicBoolean();
        ServerCall<Q, R> counted = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
                count(message);
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                finish(recorded, method, status.getCode().name(), start);
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> listener = next.startCall(counted, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                finish(recorded, method, Status.Code.CANCELLED.name(), start);
                super.onCancel();
            }
        };
    }

    private void finish(AtomicBoolean recorded, String method, String status, long start) {
        if (recorded.compareAndSet(false, true)) {
            metrics.request("grpc", method, status, System.nanoTime() - start);
        }
    }

    private void count(Object message) {
        if (message instanceof GenerateEvent e) {
            if (e.hasProgress()) {
                metrics.step();
            } else if (e.hasFinished()) {
                metrics.tokens(e.getFinished().getGeneratedTokens());
            }
        } else if (message instanceof CaptionResponse c) {
            metrics.tokens(c.getUsage().getGeneratedTokens());
        } else if (message instanceof AnswerResponse a) {
            metrics.tokens(a.getUsage().getGeneratedTokens());
        }
    }
}
