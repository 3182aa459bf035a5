package dev.transfusion.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.Mode;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.testing.TinyModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code TransfusionModel.generateAll} on a loaded model: batched, in prompt order, seed s + i, as one by one. */
class GenerateAllTest {

    @Test
    void generateAllGivesWhatEachPromptGivesAloneInOrder(@TempDir Path dir) throws Exception {
        try (TransfusionModel m = Transfusion.load(TinyModel.write(dir))) {
            AtomicInteger widest = new AtomicInteger();
            assertEquals(true, m.observeForwardPasses(rows -> widest.accumulateAndGet(rows, Math::max)));
            List<Document> prompts = new ArrayList<>();
            for (String p : new String[] {"a", "a red circle", "blue", "a green square and more words", "a", "b"}) {
                prompts.add(Document.text(p));
            }
            GenerationOptions image = GenerationOptions.builder().mode(Mode.IMAGE).maxTokens(1).diffusionSteps(6)
                    .seed(40L).build();
            GenerationOptions text = GenerationOptions.builder().mode(Mode.TEXT).maxTokens(12).temperature(1.0)
                    .seed(50L).build();
            for (GenerationOptions o : List.of(image, text)) {
                List<GenerationResult> all = m.generateAll(prompts, o);
                assertEquals(prompts.size(), all.size());
                for (int i = 0; i < prompts.size(); i++) {
                    GenerationResult alone = m.generate(prompts.get(i), o.toBuilder().seed(o.seed() + i).build());
                    assertEquals(alone, all.get(i), "prompt " + i + " with " + o.mode());
                    assertEquals(o.seed() + i, all.get(i).usage().seed());
                }
            }
            assertEquals(true, widest.get() > 1, "generateAll never ran two prompts in one pass");
            assertEquals(List.of(), m.generateAll(List.of(), text));
        }
    }
}
