package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.ConfigOverrides;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bench and train options: overrides applied, bad values refused with the field named, before any work. */
class BenchCommandTest {

    @Test
    void configOverridesReplaceOnlyTheFieldsNamed() {
        TransfusionConfig base = TransfusionConfig.preset("bench");
        TransfusionConfig c = ConfigOverrides.apply(base, "{\"dim\": 512, \"heads\": 8, \"ffn_hidden\": 1408, \"vocab\": 8192}", "--config");
        assertEquals(512, c.dim());
        assertEquals(8, c.heads());
        assertEquals(1408, c.ffnHidden());
        assertEquals(8192, c.vocab());
        assertEquals(base.layers(), c.layers());
        assertEquals(base, ConfigOverrides.apply(base, "{}", "--config"));
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

    @Test
    void benchServeNamesWhatIsMissingOrOutOfRange(@TempDir Path dir) {
        var r = TransfusionCliTest.run("", "bench", "serve");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("bench serve needs --model DIR, the model directory to serve"), r.err());
        r = TransfusionCliTest.run("", "bench", "serve", "--model", dir.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("is not a model directory: " + dir.resolve("manifest.json") + " is missing"), r.err());
        Path model = dev.transfusion.testing.TinyModel.write(dir);
        r = TransfusionCliTest.run("", "bench", "serve", "--model", model.toString(), "--clients", "0");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("--clients must be 1..64, got 0"), r.err());
        r = TransfusionCliTest.run("", "bench", "serve", "--model", model.toString(), "--completion-tokens", "0");
        assertTrue(r.err().contains("--completion-tokens must be 1..4096, got 0"), r.err());
        r = TransfusionCliTest.run("", "bench", "serve", "--model", model.toString(), "--diffusion-steps", "1001");
        assertTrue(r.err().contains("--diffusion-steps must be 1..1000, got 1001"), r.err());
        r = TransfusionCliTest.run("", "bench", "serve", "--model", model.toString(), "--warmup-rounds", "-1");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("--warmup-rounds must be 0..20 and --reps 1..50, got -1 and 3"), r.err());
        r = TransfusionCliTest.run("", "bench", "serve", "--model", model.toString(), "--reps", "0");
        assertTrue(r.err().contains("--warmup-rounds must be 0..20 and --reps 1..50, got 2 and 0"), r.err());
    }

    @Test
    void zeroGenerationThreadsAreRefused() {
        var r = TransfusionCliTest.run("", "bench", "generate", "--generation-threads", "0");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("--generation-threads must be at least 1, got 0"), r.err());
    }
}
