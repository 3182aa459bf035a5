package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transfusion.plugins.image.PixelCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ablate} end to end on a small scale: trained arms get their one change and equal steps, sampling arms
 * judge the baseline's model, and the table compares them. The learning itself is the real run's job.
 */
@Tag("learning")
class AblateCommandTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void codec() {
        new PixelCodec(16, 4).save(dir.resolve("pixels"));
    }

    static TransfusionCliTest.Result ablate(Path out, String... more) {
        String[] base = {"ablate", "--data", "shapes", "--vae", dir.resolve("pixels").toString(), "--out", out.toString(),
            "--batch", "2", "--n", "2"};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return TransfusionCliTest.run("", args);
    }

    @Test
    void armsTrainWithTheirOneChangeAndTheTableComparesThem() throws IOException {
        Path out = dir.resolve("a");
        var r = ablate(out, "--steps", "2", "--arms", "baseline,causal-spans,guidance-1");
        assertEquals(0, r.exit(), r.err());
        JsonNode causal = new ObjectMapper().readTree(out.resolve("causal-spans/model/config.json").toFile());
        assertEquals("causal", causal.get("span_attention").asText());
        JsonNode baseline = new ObjectMapper().readTree(out.resolve("baseline/model/config.json").toFile());
        assertEquals("bidirectional", baseline.get("span_attention").asText());
        assertTrue(Files.notExists(out.resolve("guidance-1/model")), "a sampling arm trains no model of its own");
        JsonNode table = new ObjectMapper().readTree(out.resolve("ablation.json").toFile());
        assertEquals(2, table.get("steps_per_arm").asInt());
        assertEquals(3, table.get("arms").size(), table.toString());
        String md = Files.readString(out.resolve("ablation.md"));
        assertTrue(md.contains("| bidirectional attention inside an image beats causal |"), md);
        assertTrue(md.contains("| guidance 3 aligns images with their prompt better than none |"), md);
        assertTrue(r.out().contains("| causal-spans | causal attention inside each image | 2 steps |"), r.out());

        // the same folder keeps its step budget: another --steps is refused, none reuses what is there
        var other = ablate(out, "--steps", "3", "--arms", "baseline");
        assertEquals(1, other.exit());
        assertTrue(other.err().contains("train 2 steps each"), other.err());
        var again = ablate(out, "--arms", "baseline,causal-spans,guidance-1");
        assertEquals(0, again.exit(), again.err());
        assertTrue(!again.err().contains("ablate: training") && !again.err().contains("ablate: judging"), again.err());
    }

    @Test
    void aBudgetSetsTheStepsFromTheMeasuredPace() throws IOException {
        Path out = dir.resolve("b");
        var r = ablate(out, "--budget-minutes", "0.0001", "--arms", "baseline");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("measuring the pace of baseline"), r.err());
        assertEquals(1, new ObjectMapper().readTree(out.resolve("plan.json").toFile()).get("steps_per_arm").asInt());
        assertTrue(Files.exists(out.resolve("baseline/metrics.json")));
    }

    @Test
    void aSamplingArmWithoutTheBaselinesModelSaysWhatToRunFirst() {
        var r = ablate(dir.resolve("c"), "--arms", "guidance-5");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("samples the baseline's model") && r.err().contains("--arms baseline"), r.err());
        assertTrue(Files.notExists(dir.resolve("c/plan.json")), "a run that trains nothing fixes no step budget");
    }
}
