package dev.transfusion.samples.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.core.parity.ReferenceFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SameDiff graph (the engine's fixtures, read from sdk-core's test resources) against the PyTorch reference's tiny fixture (rung 2 of the test ladder). */
class ParityTest {
    static ReferenceFixture fixture;
    static ParityReport report;

    static Path tinyFixture() throws Exception {
        return Path.of("../sdk-core/src/test/resources/fixtures/tiny");   // the engine's fixtures, as MainJobCommandsTest reads them
    }

    @BeforeAll
    static void run() throws Exception {
        fixture = ReferenceFixture.read(tinyFixture());
        report = ParityReport.measure(fixture);
    }

    @Test
    void logitsAndNoiseMatchTheReference() {
        assertTrue(report.logits() < ParityReport.OUTPUT_TOLERANCE, "logits relative error " + report.logits());
        assertTrue(report.epsHat() < ParityReport.OUTPUT_TOLERANCE, "eps_hat relative error " + report.epsHat());
    }

    @Test
    void lossesMatchTheReference() {
        String[] names = {"lm", "ddpm", "total"};
        for (int i = 0; i < 3; i++) {
            assertTrue(report.losses()[i] < ParityReport.LOSS_TOLERANCE, names[i] + " loss relative error " + report.losses()[i]);
        }
    }

    @Test
    void everyGradientMatchesTheReference() {
        assertEquals(fixture.gradients().keySet(), report.gradients().keySet());
        report.gradients().forEach((name, err) ->
                assertTrue(err < ParityReport.GRADIENT_TOLERANCE, "gradient of " + name + ": relative error " + err));
        assertTrue(report.passes());
    }

    @Test
    void anotherConfigurationAlsoMatches() throws Exception {
        // 3 layers, 3 heads of 16, 3 latent channels, rope theta 500: made by transfusion_ref.py fixtures
        Path wide = Path.of("../sdk-core/src/test/resources/fixtures/wide");
        ParityReport r = ParityReport.measure(ReferenceFixture.read(wide));
        assertTrue(r.passes(), "logits " + r.logits() + ", eps " + r.epsHat() + ", losses "
                + java.util.Arrays.toString(r.losses()) + ", worst gradient " + r.worstGradient());
    }
}
