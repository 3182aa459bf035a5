/**
 * The server's HTTP port ({@link dev.transfusion.server.http.HttpGateway}): an OpenAI-compatible API under
 * {@code /v1} (chat completions with server-sent events, image generations, models) over the gRPC service's
 * limiter, budget and token; Prometheus metrics ({@link dev.transfusion.server.http.ServerMetrics}, fed for gRPC
 * by {@link dev.transfusion.server.http.GrpcMetricsInterceptor}); and {@code /healthz}, {@code /readyz}.
 */
@NullMarked
package dev.transfusion.server.http;

import org.jspecify.annotations.NullMarked;
