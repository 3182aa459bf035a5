package dev.transfusion.core.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SameDiff graph against the PyTorch reference's tiny fixture (rung 2 of the test ladder). */
class ParityTest {
    static ReferenceFixture fixture;
    static ParityReport report;

    static Path tinyFixture() throws Exception {
        return Path.of(ParityTest.class.getResource("/fixtures/tiny/config.json").toURI()).getParent();
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
        Path wide = Path.of(ParityTest.class.getResource("/fixtures/wide/config.json").toURI()).getParent();
        ParityReport r = ParityReport.measure(ReferenceFixture.read(wide));
        assertTrue(r.passes(), "logits " + r.logits() + ", eps " + r.epsHat() + ", losses "
                + java.util.Arrays.toString(r.losses()) + ", worst gradient " + r.worstGradient());
    }

    @Test
    void aFixtureWithAWrongShapeIsRefusedNamingTheFile(@TempDir Path tmp) throws Exception {
        Path src = tinyFixture();
        try (var files = Files.list(src)) {
            for (Path f : files.toList()) {
                Files.copy(f, tmp.resolve(f.getFileName()));
            }
        }
        // claim a wider model than the arrays hold
        String cfg = Files.readString(tmp.resolve("config.json")).replace("\"dim\": 32", "\"dim\": 48");
        Files.writeString(tmp.resolve("config.json"), cfg);
        var e = assertThrows(InvalidInputException.class, () -> ReferenceFixture.read(tmp));
        assertTrue(e.getMessage().contains("param.tok_embeddings.weight.npy"), e.getMessage());
        assertTrue(e.getMessage().contains("[64, 48]"), e.getMessage());
    }
}
