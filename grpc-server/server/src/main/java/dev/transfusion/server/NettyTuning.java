package dev.transfusion.server;

import io.grpc.netty.NettyServerBuilder;
import java.util.concurrent.TimeUnit;

/**
 * Connection settings of the Netty transport. Generations run for seconds to minutes, clients sit behind NATs
 * and load balancers, and the server scales out as identical replicas: each setting below says which of these
 * it serves.
 */
final class NettyTuning {
    private NettyTuning() {
    }

    static NettyServerBuilder apply(NettyServerBuilder b) {
        return b
                // Ping a connection that has been silent for a minute: a client that vanished without closing
                // (a dead host, a dropped NAT mapping) is found within a minute and a half, its calls are
                // cancelled, and its model slot freed, instead of denoising for nobody.
                .keepAliveTime(60, TimeUnit.SECONDS)
                // ...and give the ping 20 s to come back before the connection is declared dead.
                .keepAliveTimeout(20, TimeUnit.SECONDS)
                // Let clients ping as often as every 10 s, even between calls: proxies and NATs drop idle TCP
                // flows after a few minutes, and a client waiting on a long image needs to keep its flow alive.
                // Pinging faster than that is answered with GOAWAY (ENHANCE_YOUR_CALM): a guard against floods.
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                // Close connections unused for 15 minutes: they hold buffers and a file descriptor each, and
                // a gRPC client reconnects transparently on its next call.
                .maxConnectionIdle(15, TimeUnit.MINUTES)
                // Recycle every connection after 30 minutes (GOAWAY, then reconnect) so that long-lived clients
                // spread over replicas added behind a load balancer; the 10 minute grace lets a call in flight
                // (a long image) finish on the old connection.
                .maxConnectionAge(30, TimeUnit.MINUTES)
                .maxConnectionAgeGrace(10, TimeUnit.MINUTES)
                // A TLS or HTTP/2 handshake gets 20 s: a peer that opens sockets and never talks (slowloris)
                // cannot hold them for the default two minutes.
                .handshakeTimeout(20, TimeUnit.SECONDS)
                // Headers (the bearer token, a few tracing keys) are small: keep the 8 KiB default explicit so
                // an oversized header block is refused before it is buffered.
                .maxInboundMetadataSize(8 * 1024);
    }
}
