import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.TimeUnit;

/**
 * Waits until a Transfusion server at HOST:PORT reports SERVING on grpc.health.v1 and prints the milliseconds
 * since START_EPOCH_MS: the server's start-up, as a client sees it (listening, model loaded). Launched as a
 * single-file program on the build's class path by bench/serve-startup.sh.
 */
public final class ServeReady {
    public static void main(String[] args) throws Exception {
        long start = Long.parseLong(args[1]);
        ManagedChannel channel = ManagedChannelBuilder.forTarget(args[0]).usePlaintext().build();
        try {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
            while (true) {
                try {
                    HealthCheckResponse r = health.withDeadlineAfter(1, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.newBuilder().build());
                    if (r.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
                        System.out.println(System.currentTimeMillis() - start);
                        return;
                    }
                } catch (io.grpc.StatusRuntimeException notYet) {
                    // not listening yet, or still loading
                }
                Thread.sleep(20);
            }
        } finally {
            channel.shutdownNow();
        }
    }
}
