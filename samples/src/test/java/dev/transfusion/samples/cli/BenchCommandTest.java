package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.samples.bench.ConfigOverrides;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bench and train options: overrides applied, bad values refused with the field named, before any work. */
class BenchCommandTest {

    @Test
    void configOverridesReplaceOnlyTheFieldsNamed() {
        TransfusionConfig base = TransfusionConfig.preset("bench");
        TransfusionConfig c = ConfigOverrides.apply(base, "{\"dim\": 512, \"heads\": 8, \"ffn_hidden\": 1408, \"vocab\": 8192}");
        assertEquals(512, c.dim());
        assertEquals(8, c.heads());
        assertEquals(1408, c.ffnHidden());
        assertEquals(8192, c.vocab());
        assertEquals(base.layers(), c.layers());
        assertEquals(base, ConfigOverrides.apply(base, "{}"));
    }

    @Test
    void aBenchConfigWithAnUnknownFieldIsNamed() {
        var r = TransfusionCliTest.run("", "bench", "train", "--config", "{\"width\": 512}", "--steps", "1");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("--config: unknown field 'width'; known: [vocab, dim,"), r.err());
    }

    @Test
    void aBenchConfigThatIsNotAJsonObjectIsRefused() {
        var r = TransfusionCliTest.run("", "bench", "train", "--config", "dim=512", "--steps", "1");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("--config is not JSON"), r.err());
        r = TransfusionCliTest.run("", "bench", "train", "--config", "[1]", "--steps", "1");
        assertTrue(r.err().contains("--config must be a JSON object"), r.err());
    }

    @Test
    void aBenchConfigWithAnInvalidValueNamesIt() {
        var r = TransfusionCliTest.run("", "bench", "train", "--config", "{\"heads\": 7}", "--steps", "1");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("heads"), r.err());
    }

    @Test
    void trainingWithZeroReplicasIsRefused(@TempDir Path dir) {
        var r = TransfusionCliTest.run("", "train", "--data", "shapes", "--out", dir.resolve("t").toString(), "--replicas", "0");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("TrainingOptions.replicas must be >= 1, got 0"), r.err());
    }
}
