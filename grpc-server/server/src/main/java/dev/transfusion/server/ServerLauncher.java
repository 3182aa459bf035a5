package dev.transfusion.server;

import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.Transfusion;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a {@link TransfusionServer} as a process: starts it, prints one line with the address once the model is
 * loaded, serves until the JVM is asked to stop (SIGTERM, SIGINT), then drains calls in flight and exits 0.
 * The {@code serve} command of the command line is a thin layer over {@link #run}.
 */
public final class ServerLauncher {
    private ServerLauncher() {
    }

    /** A builder that loads the model directory {@code modelDir} through the engine on the class path. */
    public static TransfusionServer.Builder forModelDirectory(Path modelDir) {
        return TransfusionServer.builder().modelLoader(() -> Transfusion.load(modelDir));
    }

    /**
     * Serves until the JVM shuts down or the server stops; returns the process exit code: 0 after a clean
     * drain, 1 when the server could not start or the model could not load (the reason goes to {@code err}).
     */
    public static int run(TransfusionServer.Builder builder, PrintWriter out, PrintWriter err) {
        TransfusionServer server;
        try {
            server = builder.logLoadFailure(false).build().start();   // reported below, once
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        Runnable drain = () -> {
            err.println("shutting down: draining calls in flight");
            err.flush();
            server.shutdown();
        };
        // SIGTERM and SIGINT start the drain on a thread of its own; run returns 0 once it is done, so that a
        // clean stop exits 0 rather than the JVM's 143. The hook covers every other way the JVM may be asked to
        // exit (and JVMs without the signal API): it returns only after the server has drained.
        Thread signalled = new Thread(drain, "transfusion-shutdown");
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(drain, "transfusion-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        StopSignals.Installed signals = StopSignals.install(() -> {
            if (stopping.compareAndSet(false, true)) {
                signalled.start();
            }
        });
        try {
            if (!server.isServing()) {
                err.println("loading the model (health reports NOT_SERVING until it is ready)");
                err.flush();
            }
            server.awaitReady();
            out.println("Transfusion server listening on " + server.address() + " (" + describe(server) + ")");
            out.flush();
            server.awaitTermination();
            if (stopping.get()) {
                signalled.join();   // the drain goes on to close the model: exit waits for it
            }
            removeHook(hook);
            return 0;
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            removeHook(hook);
            server.shutdown();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            removeHook(hook);
            server.shutdown();
            return 1;
        } finally {
            signals.close();
        }
    }

    private static String describe(TransfusionServer server) {
        ServerSettings s = server.settings();
        ModelInfo info = server.modelInfo();
        String model = info == null ? "" : "model " + info.name() + ", " + info.parameters() + " parameters; ";
        return model + "TLS " + (s.tls() ? "on" : "off") + ", auth " + (s.bearerToken() != null ? "on" : "off")
                + ", up to " + s.maxConcurrent() + " concurrent and " + s.maxQueued() + " queued"
                + (server.httpPort() < 0 ? "" : "; HTTP on port " + server.httpPort());
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
    }
}
