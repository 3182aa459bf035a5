package dev.transfusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The engine's settings: defaults, and the user's values winning over them. */
class EngineSettingsTest {

    @Test
    void oneThreadUnlessThePropertyOrTheEnvironmentSaysOtherwise() {
        assertEquals(1, EngineSettings.threads(null, null));
        assertEquals(1, EngineSettings.threads(null, " "));
        assertEquals(3, EngineSettings.threads(null, "3"));
        assertEquals(4, EngineSettings.threads(null, "4,2"));
        assertEquals(2, EngineSettings.threads("2", "3"));
    }

    @Test
    void generationSplitsOverTheProcessorsUpToTheCapUnlessThePropertySaysOtherwise() {
        assertEquals(2, EngineSettings.generationThreads(null, 2));
        assertEquals(1, EngineSettings.generationThreads(null, 1));
        assertEquals(EngineSettings.MAX_GENERATION_THREADS, EngineSettings.generationThreads(null, 64));
        assertEquals(1, EngineSettings.generationThreads("1", 16));
        var e = assertThrows(IllegalArgumentException.class, () -> EngineSettings.generationThreads("-2", 2));
        assertTrue(e.getMessage().contains("-Dtransfusion.generationThreads") && e.getMessage().contains("'-2'"),
                e.getMessage());
    }

    @Test
    void aBadThreadCountNamesWhereItCameFrom() {
        var e = assertThrows(IllegalArgumentException.class, () -> EngineSettings.threads("zero", null));
        assertTrue(e.getMessage().contains("-Dtransfusion.threads is 'zero'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EngineSettings.threads(null, "0"));
        assertTrue(e.getMessage().contains("OMP_NUM_THREADS is '0'"), e.getMessage());
    }

    @Test
    void aLogLevelTheUserSetIsKept() {
        String key = "org.slf4j.simpleLogger.log.org.nd4j.imports";
        String before = System.getProperty(key);
        try {
            System.setProperty(key, "debug");
            EngineSettings.applyBeforeNd4j();
            assertEquals("debug", System.getProperty(key));
            System.clearProperty(key);
            EngineSettings.applyBeforeNd4j();
            assertEquals("error", System.getProperty(key));
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
