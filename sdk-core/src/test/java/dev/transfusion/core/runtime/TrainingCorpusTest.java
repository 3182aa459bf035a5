package dev.transfusion.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Document;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.TrainingExample;
import dev.transfusion.api.spi.DataSetProvider;
import dev.transfusion.core.plugin.DataSetRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --data}: names resolve through the registry, paths through the file sources, and commas mix them. */
class TrainingCorpusTest {

    /** {@code count} text documents "NAME SEED I". */
    record Named(String name, int count) implements DataSetProvider {
        @Override
        public String description() {
            return name;
        }

        @Override
        public List<TrainingExample> trainingExamples(long seed) {
            List<TrainingExample> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(new TrainingExample.Doc(Document.text(name + " " + seed + " " + i)));
            }
            return out;
        }
    }

    /** A data set that takes an argument: one document "echo ARGUMENT". */
    record Echo() implements DataSetProvider {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public String description() {
            return "echo";
        }

        @Override
        public List<TrainingExample> trainingExamples(long seed) {
            return trainingExamples("", seed);
        }

        @Override
        public List<TrainingExample> trainingExamples(String argument, long seed) {
            return List.of(new TrainingExample.Doc(Document.text("echo " + argument)));
        }
    }

    private static final DataSetRegistry REGISTRY = new DataSetRegistry(List.of(new Named("alpha", 2),
            new Named("beta", 3), new Echo()));

    private static List<String> texts(List<TrainingExample> examples) {
        return TrainingCorpus.texts(examples);
    }

    @Test
    void aNameGivesThatDataSetsExamplesForTheSeed() {
        assertEquals(List.of("alpha 7 0", "alpha 7 1"), texts(TrainingCorpus.read("alpha", 7, REGISTRY)));
    }

    @Test
    void commasMixDataSetsAndPathsInTheirOrder(@TempDir Path dir) throws IOException {
        Path txt = dir.resolve("notes.txt");
        Files.writeString(txt, "a note of mine");
        List<TrainingExample> mixed = TrainingCorpus.read("beta,alpha," + txt, 1, REGISTRY);
        assertEquals(List.of("beta 1 0", "beta 1 1", "beta 1 2", "alpha 1 0", "alpha 1 1"),
                texts(mixed.subList(0, 5)));
        assertEquals(6, mixed.size());
        TrainingExample.Doc last = (TrainingExample.Doc) mixed.get(5);
        assertTrue(((TextPart) last.document().parts().get(0)).text().contains("a note of mine"), last.toString());
    }

    @Test
    void theTextAfterANamesColonIsItsArgumentAndInAMixTakesTheRest() {
        assertEquals(List.of("echo /data/x"), texts(TrainingCorpus.read("echo:/data/x", 1, REGISTRY)));
        assertEquals(List.of("alpha 1 0", "alpha 1 1", "echo a.idx,b.idx,names.txt"),
                texts(TrainingCorpus.read("alpha,echo:a.idx,b.idx,names.txt", 1, REGISTRY)));
        assertEquals(List.of("echo "), texts(TrainingCorpus.read("echo", 1, REGISTRY)));
    }

    @Test
    void aDataSetWithoutArgumentsRefusesOne() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TrainingCorpus.read("alpha:/data", 1, REGISTRY));
        assertEquals("data set 'alpha' takes no argument, got 'alpha:/data'; expected --data alpha", e.getMessage());
    }

    @Test
    void aPathWithACommaIsOnePath(@TempDir Path dir) throws IOException {
        Path txt = dir.resolve("alpha,beta.txt");
        Files.writeString(txt, "one file");
        List<TrainingExample> one = TrainingCorpus.read(txt.toString(), 1, REGISTRY);
        assertEquals(1, one.size());
    }

    @Test
    void anUnknownNameNamesItAndTheRegisteredDataSets() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TrainingCorpus.read("alpha,gamma", 1, REGISTRY));
        assertEquals("training data 'gamma' is neither a registered data set (alpha, beta, echo) nor an existing file "
                + "or folder", e.getMessage());
    }

    @Test
    void anEmptyEntryInAListIsRefused() {
        for (String bad : List.of("alpha,", ",alpha", "alpha,,beta", "alpha, ,beta")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> TrainingCorpus.read(bad, 1, REGISTRY), bad);
            assertTrue(e.getMessage().contains("'" + bad + "' has an empty entry"), e.getMessage());
        }
    }
}
