package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.transfusion.server.ServerHarness.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python client whose stubs Debian's {@code python3-grpc-tools} generates from the unmodified transfusion.proto
 * (it bundles protoc 3.5.1, which refuses proto3 {@code optional}: the proto must not use it), calling Generate,
 * Caption and Answer on a real server on loopback. The test fails, never skips, when the package is missing
 * ({@code .ci/run} installs it). Debian's interpreter is {@code /usr/bin/python3}: another python3 first on the
 * PATH (pyenv, a virtualenv) lacks Debian's modules.
 */
class PythonClientTest {
    private static final Path BASE = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    @Test
    void pythonClientFromDebiansProtocCallsGenerateCaptionAndAnswer(@TempDir Path dir) throws Exception {
        Result tools = run(List.of(PYTHON, "-c", "import grpc_tools, os; print(os.path.dirname(grpc_tools.__file__))"), dir);
        if (tools.exitCode != 0) {
            fail("Debian's python3-grpc-tools is missing (apt-get install -y python3-grpc-tools): " + tools.output);
        }
        Path stubs = Files.createDirectories(dir.resolve("stubs"));
        Result protoc = run(List.of(PYTHON, "-m", "grpc_tools.protoc", "-I", BASE.resolveSibling("proto").resolve("src/main/proto").toString(),
                "-I", tools.output.strip() + "/_proto", "--python_out=" + stubs, "--grpc_python_out=" + stubs,
                BASE.resolveSibling("proto").resolve("src/main/proto/transfusion/v1/transfusion.proto").toString()), dir);
        assertEquals(0, protoc.exitCode, "protoc from python3-grpc-tools refused the proto:\n" + protoc.output);

        Path png = dir.resolve("prompt.png");
        Files.write(png, ImageDataCodec.encode(FakeModel.solid(5, 7, 0xff0000)).getData().toByteArray());
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0), b -> b.bearerToken("py-t"))) {
            Result r = run(List.of(PYTHON, BASE.resolve("src/test/python/client.py").toString(), stubs.toString(),
                    "127.0.0.1:" + h.server.port(), png.toString(), "py-t"), dir);
            assertEquals(0, r.exitCode, "python client failed:\n" + r.output);
            assertEquals(List.of(
                    "PROGRESS 1/3 image=0",
                    "PROGRESS 2/3 image=0",
                    "PROGRESS 3/3 image=0",
                    "IMAGE image/png 4x4",
                    "TEXT  here it is",
                    "FINISHED end_of_sequence images=1 seed=255",
                    "CAPTION a red square 5x7 (end_of_sequence)",
                    "ANSWER answer: what colour? seed=0",
                    "ERROR INVALID_ARGUMENT image.data (12 bytes) is not a PNG or JPEG image",
                    "PARTS progress:audio part:audio audio/wav RIFF 0",
                    "CAPTION-PART a audio part of 3 values",
                    "ERROR INVALID_ARGUMENT part.shape [4] needs 4 values, part.values has 1",
                    "DONE"), r.output.lines().toList());
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, Path dir) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "python-client", ".log");   // a file: a full pipe cannot block it
        Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in 120 s:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
