package dev.transfusion.samples.cli;

import dev.transfusion.server.ServerLauncher;
import dev.transfusion.server.TransfusionServer;
import dev.transfusion.api.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code transfusion serve}: a model over gRPC. The work is {@link ServerLauncher}'s (module grpc-server); this
 * class only maps options onto a {@link TransfusionServer.Builder}.
 */
@Command(
        name = "serve",
        description = {
            "Serve a model over gRPC: transfusion.v1.Transfusion, grpc.health.v1 and server reflection.",
            "With --http-port also over HTTP: the OpenAI-compatible /v1 API, /metrics, /healthz and /readyz.",
            "Prints the address once the model is loaded; SIGTERM or Ctrl-C drains calls in flight, then exits."
        })
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The model directory to serve.")
    Path model;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", defaultValue = "50051", paramLabel = "PORT",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Also serve HTTP on this port of the same host: /v1/chat/completions, /v1/images/generations "
                    + "and /v1/models (OpenAI-compatible, the same token), /metrics (Prometheus), /healthz and /readyz. "
                    + "Default: off; 0 picks a free one.")
    Integer httpPort;

    @Option(names = "--max-concurrent", defaultValue = "16", paramLabel = "N",
            description = "Model calls running at once, their steps batched (default: ${DEFAULT-VALUE}).")
    int maxConcurrent;

    @Option(names = "--max-queued", defaultValue = "8", paramLabel = "N",
            description = "Calls waiting for a slot; more fail with RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
    int maxQueued;

    @Option(names = "--token", paramLabel = "T", defaultValue = "${env:TRANSFUSION_TOKEN}",
            description = "Require 'authorization: Bearer T' on every call but health checks. "
                    + "Default: the TRANSFUSION_TOKEN environment variable (unlike the flag, not visible in ps).")
    String token;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain; turns TLS on with --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM (PKCS#8) private key of --tls-cert.")
    Path tlsKey;

    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    /** The command, writing through {@code terminal}. */
    public ServeCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        require(port >= 0 && port <= 65535, "--port must be 0..65535, got " + port);
        require(httpPort == null || (httpPort >= 0 && httpPort <= 65535),
                "--http-port must be 0..65535, got " + httpPort);
        require(maxConcurrent >= 1, "--max-concurrent must be at least 1, got " + maxConcurrent);
        require(maxQueued >= 0, "--max-queued must be 0 or more, got " + maxQueued);
        require(token == null || token.isEmpty() || !token.isBlank(), "--token must not be blank");
        TransfusionServer.Builder builder;
        try {
            builder = ServerLauncher.forModelDirectory(model).host(host).port(port).limits(maxConcurrent, maxQueued)
                    .bearerToken(token == null || token.isEmpty() ? null : token);
            if (httpPort != null) {
                builder.httpPort(httpPort);
            }
            if (tlsCert != null || tlsKey != null) {
                if (tlsCert == null || tlsKey == null) {
                    throw new IllegalArgumentException("--tls-cert and --tls-key go together");
                }
                builder.tls(tlsCert, tlsKey);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // The server loads the model on a thread of its own and both logs and returns a failure, which would
        // print it twice: the failures a user makes most (a wrong path) are caught here, once, before it starts.
        if (!Files.isDirectory(model)) {
            throw new InvalidInputException("model directory " + model + " does not exist");
        }
        if (!Files.isRegularFile(model.resolve("manifest.json"))) {
            throw new InvalidInputException(model + " is not a transfusion-model directory: "
                    + model.resolve("manifest.json") + " is missing (expected the model folder written by train)");
        }
        return ServerLauncher.run(builder, terminal.out(), terminal.err());
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }
}
