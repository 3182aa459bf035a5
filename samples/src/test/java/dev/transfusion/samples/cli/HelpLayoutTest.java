package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Help pages: words with dots stay whole, summaries are whole sentences, presets are named. */
class HelpLayoutTest {

    @Test
    void fileAndPackageNamesAreNotBrokenAtTheirDots() {
        String top = TransfusionCliTest.run("", "--help").out();
        assertTrue(top.contains("grpc.health.v1"), top);
        String demo = TransfusionCliTest.run("", "demo", "--help").out();
        assertTrue(demo.contains("OUT/report.html"), demo);
        for (String line : (top + demo).split("\n")) {
            assertTrue(line.length() < 80, "over the width: '" + line + "'");
        }
    }

    @Test
    void everySummaryInTheCommandListIsAWholeSentence() {
        String top = TransfusionCliTest.run("", "--help").out();
        List<String> summaries = new ArrayList<>();
        boolean inList = false;
        for (String line : top.split("\n")) {
            if (line.equals("Commands:")) {
                inList = true;
            } else if (inList && line.isBlank()) {
                break;
            } else if (inList && line.startsWith("   ")) {
                summaries.set(summaries.size() - 1, summaries.get(summaries.size() - 1) + " " + line.strip());
            } else if (inList) {
                summaries.add(line.strip());
            }
        }
        assertTrue(summaries.size() >= 12, top);
        for (String s : summaries) {
            assertTrue(s.endsWith("."), "a summary cut mid-sentence: '" + s + "'");
            assertFalse(s.contains("%n"), s);
        }
    }

    @Test
    void presetOptionsNameThePresets() {
        String train = TransfusionCliTest.run("", "train", "--help").out().replaceAll("\\s+", " ");
        assertTrue(train.contains("Model size preset: tiny, shapes, bench, 0.16B,"), train);
        assertTrue(train.contains("7B (default: shapes)"), train);
    }

    @Test
    void wrappingBreaksAtSpacesOnly() {
        assertEquals(List.of("see", "OUT/report.html", "now"), HelpLayout.wrap("see OUT/report.html now", 8));
    }
}
