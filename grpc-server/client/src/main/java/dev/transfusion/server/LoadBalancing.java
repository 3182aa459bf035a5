package dev.transfusion.server;

import dev.transfusion.server.v1.TransfusionGrpc;
import java.util.List;
import java.util.Map;

/**
 * The client's default service config: {@code round_robin} over every address the target resolves to (a
 * {@code static:///} list, or a {@code dns:///} name with one record per server, as a Kubernetes headless
 * Service has), with {@code grpc.health.v1} checks on each, so that a server that is loading, draining or
 * gone takes no new calls; and a retry policy for UNAVAILABLE and UNKNOWN.
 */
final class LoadBalancing {
    private LoadBalancing() {
    }

    /** The config as the JSON-like map gRPC takes (numbers as doubles). */
    static Map<String, ?> serviceConfig() {
        // Retrying UNAVAILABLE closes the gap between a server going away and the client's health watch
        // noticing: a call picked onto a server that has just started refusing (a drain past its notice) or
        // died (kill -9: the connection drops before any answer) fails UNAVAILABLE without a response header,
        // and gRPC retries such a call on another server. A call that has had an answer (a stream under way)
        // is never replayed. Every call is safe to run twice: none changes state on the server. Without this,
        // ScaleOutTest sees one or two calls fail "UNAVAILABLE: io exception" when it kills a server.
        // UNKNOWN too: a call whose request was being written when the connection dropped fails "UNKNOWN: channel
        // closed" (grpc-netty's status for a write to a closed channel; ScaleOutTest failed so in 1 run of about
        // 20). This server never answers UNKNOWN itself (ExceptionStatus maps every failure to a code), so the
        // code means the transport, and gRPC retries only a call that has had no answer yet.
        Map<String, ?> retry = Map.of(
                "maxAttempts", 5.0,
                "initialBackoff", "0.1s",
                "maxBackoff", "1s",
                "backoffMultiplier", 2.0,
                "retryableStatusCodes", List.of("UNAVAILABLE", "UNKNOWN"));
        return Map.of(
                "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
                // the health-checking balancer is grpc-services' (a runtime dependency of this module)
                "healthCheckConfig", Map.of("serviceName", TransfusionGrpc.SERVICE_NAME),
                "methodConfig", List.of(Map.of(
                        "name", List.of(Map.of("service", TransfusionGrpc.SERVICE_NAME)),
                        "retryPolicy", retry)));
    }
}
