package dev.transfusion.server;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * A server process over a slow {@link FakeModel}, for {@link SigtermDrainTest} and {@link LogSecrecyTest} to start
 * and stop with SIGTERM. The first argument, when given and not empty, is the bearer token to require; the second
 * an HTTP port to serve as well. {@code -Dfake.name=NAME} names the model (ScaleOutTest tells its three servers
 * apart by it).
 */
public final class FakeServerMain {
    private FakeServerMain() {
    }

    public static void main(String[] args) {
        FakeModel model = new FakeModel(10, 0);
        model.name = System.getProperty("fake.name", model.name);
        TransfusionServer.Builder b = TransfusionServer.builder().model(model)
                .host("127.0.0.1").port(0).shutdownTimings(Duration.ofSeconds(1), Duration.ofSeconds(20))
                .bearerToken(args.length > 0 && !args[0].isEmpty() ? args[0] : null);
        if (args.length > 1) {
            b.httpPort(Integer.parseInt(args[1]));
        }
        System.exit(ServerLauncher.run(b, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }
}
