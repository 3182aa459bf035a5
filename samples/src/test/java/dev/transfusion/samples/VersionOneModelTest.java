package dev.transfusion.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.transfusion.api.DiffusionSampler;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImageScore;
import dev.transfusion.api.Mode;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A model directory written before modalities became plugins (format version 1, committed in
 * {@code src/test/resources/v1-model}) still loads, and gives what the code of its time gave for the same seeds:
 * the same pixels, the same sampled text, and image scores within float rounding (1e-6).
 */
class VersionOneModelTest {

    @Test
    void aVersionOneModelGeneratesWhatItGeneratedBefore() throws Exception {
        Path root = Path.of(VersionOneModelTest.class.getResource("/v1-model/expected.txt").toURI()).getParent();
        List<String> expected = Files.readAllLines(root.resolve("expected.txt"));
        List<String> got = new ArrayList<>();
        try (TransfusionModel m = Transfusion.load(root.resolve("model"))) {
            for (long seed : new long[] {1, 2, 3}) {
                for (String sampler : new String[] {"DDIM", "DDPM"}) {
                    GenerationResult r = m.generate(Document.text("a red circle"), GenerationOptions.builder()
                            .mode(Mode.IMAGE).seed(seed).diffusionSteps(5).sampler(DiffusionSampler.valueOf(sampler)).build());
                    RgbImage img = r.images().get(0);
                    StringBuilder line = new StringBuilder("image " + sampler + " " + seed + " " + img.width() + "x"
                            + img.height());
                    for (int px : img.toPackedRgb()) {
                        line.append(' ').append(Integer.toHexString(px));
                    }
                    got.add(line.toString());
                }
                ImageScore score = m.scoreImage("a red circle", RgbImage.fromPackedRgb(4, 4, new int[16]),
                        new int[] {10, 500, 900}, seed);
                StringBuilder line = new StringBuilder("score " + seed);
                for (double l : score.losses()) {
                    line.append(' ').append(l);
                }
                got.add(line.toString());
                GenerationResult t = m.generate(Document.text("a red"), GenerationOptions.builder().mode(Mode.TEXT)
                        .seed(seed).maxTokens(6).temperature(1.0).build());
                got.add("text " + seed + " " + t.text().replace("\n", "\\n"));
            }
            assertEquals("image", m.info().modalities().keySet().stream().filter(k -> !k.equals("text")).findFirst()
                    .orElseThrow());
        }
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i).startsWith("score ")) {
                // a loss is a sum of squares in float: another BLAS kernel (batching pads its products) may round
                // the last bits differently; the images and texts above are the exact check
                String[] e = expected.get(i).split(" "), g = got.get(i).split(" ");
                assertEquals(e.length, g.length);
                for (int k = 2; k < e.length; k++) {
                    assertEquals(Double.parseDouble(e[k]), Double.parseDouble(g[k]), 1e-6, expected.get(i));
                }
            } else {
                assertEquals(expected.get(i), got.get(i));
            }
        }
    }
}
