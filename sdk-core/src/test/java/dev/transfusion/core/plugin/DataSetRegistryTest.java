package dev.transfusion.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.TrainingExample;
import dev.transfusion.api.spi.DataSetProvider;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Data sets by name: lookups, and the errors a user or a data set author sees. */
class DataSetRegistryTest {

    /** A data set of {@code count} one-line text documents, each saying its name. */
    record FakeDataSet(String name, int count) implements DataSetProvider {
        @Override
        public String description() {
            return "fake " + name;
        }

        @Override
        public List<TrainingExample> trainingExamples(long seed) {
            List<TrainingExample> out = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(new TrainingExample.Doc(dev.transfusion.api.Document.text(name + " " + seed + " " + i)));
            }
            return out;
        }
    }

    @Test
    void answersEachDataSetByItsName() {
        FakeDataSet a = new FakeDataSet("alpha", 1), b = new FakeDataSet("beta-2", 1);
        DataSetRegistry registry = new DataSetRegistry(List.of(b, a));
        assertEquals(Set.of("alpha", "beta-2"), registry.names());
        assertSame(a, registry.get("alpha"));
        assertSame(b, registry.find("beta-2").orElseThrow());
        assertTrue(registry.find("gamma").isEmpty());
    }

    @Test
    void anUnknownNameListsTheRegisteredOnes() {
        DataSetRegistry registry = new DataSetRegistry(List.of(new FakeDataSet("beta", 1), new FakeDataSet("alpha", 1)));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> registry.get("gamma"));
        assertEquals("no data set 'gamma'; registered: alpha, beta", e.getMessage());
    }

    @Test
    void withNoDataSetsTheErrorSaysWhatIsMissing() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new DataSetRegistry(List.of()).get("shapes"));
        assertTrue(e.getMessage().contains("none (is a data set jar"), e.getMessage());
    }

    @Test
    void twoDataSetsClaimingOneNameAreRefused() {
        PluginException e = assertThrows(PluginException.class,
                () -> new DataSetRegistry(List.of(new FakeDataSet("alpha", 1), new FakeDataSet("alpha", 2))));
        assertTrue(e.getMessage().contains("'alpha' is claimed twice"), e.getMessage());
    }

    @Test
    void aNameThatCommaListsOrPathsWouldSplitIsRefused() {
        for (String bad : List.of("a,b", "Shapes", "", "a/b", "-x")) {
            PluginException e = assertThrows(PluginException.class,
                    () -> new DataSetRegistry(List.of(new FakeDataSet(bad, 1))), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void theClassPathOfSdkCoreHoldsNoDataSet() {
        // the engine ships none: data sets are plugins (the shapes module registers itself in its own tests)
        assertEquals(Set.of(), DataSetRegistry.fromClassPath().names());
    }
}
