package dev.transfusion.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link FakeServerMain} in a child JVM, with its stdout and stderr collected; closing kills it if still alive. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Transfusion server listening on 127\\.0\\.0\\.1:(\\d+) \\(.*\\)");

    final Process process;
    private final StringBuilder output = new StringBuilder();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread reader;

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "server-process-output");
        reader.start();
    }

    /** Starts {@link FakeServerMain} with {@code jvmOptions} and {@code args}. */
    static ServerProcess start(List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FakeServerMain.class.getName()));
        command.addAll(List.of(args));
        return new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
                Matcher m = READY.matcher(line);
                if (m.matches()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
            port.completeExceptionally(new IOException("the server exited before listening:\n" + output()));
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
    }

    /** The port, once the server prints that it listens. */
    int awaitPort() throws InterruptedException, ExecutionException, TimeoutException {
        return port.get(60, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM (Process.destroy() would also close our end of its output). */
    boolean sigterm() {
        return process.toHandle().destroy();
    }

    /** Waits for the exit and the last of the output; returns the exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not exit within 30 s:\n" + output());
        }
        reader.join(5000);
        return process.exitValue();
    }

    /** Everything printed so far, stdout and stderr together. */
    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
