package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.transfusion.server.ServerHarness.Transport;
import dev.transfusion.server.sample.RemoteGenerateSample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Java client sample runs against a server on loopback. */
class RemoteGenerateSampleTest {

    @Test
    void sampleDrawsAndCaptions() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0), b -> b.bearerToken("tok"))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                RemoteGenerateSample.run(new String[] {"127.0.0.1:" + h.server.port(), "tok"}, out);
            }
            String expected = """
                    model fake: 1234 parameters, modalities %s
                    denoising 1/8
                    denoising 2/8
                    denoising 3/8
                    denoising 4/8
                    denoising 5/8
                    denoising 6/8
                    denoising 7/8
                    denoising 8/8
                     here it is
                    finished: END_OF_SEQUENCE, 1 image(s), seed 1
                    caption of the 4x4 image: a red square 4x4
                    """.formatted(h.model.info().modalities().keySet());
            assertEquals(expected, bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
