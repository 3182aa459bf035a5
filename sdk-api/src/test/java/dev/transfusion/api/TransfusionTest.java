package dev.transfusion.api;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** sdk-api alone has no engine: the entry point says so clearly, every time. */
class TransfusionTest {

    @Test
    void withoutAnEngineEveryCallFailsWithTheSameClearMessage() {
        for (int i = 0; i < 2; i++) {
            var e = assertThrows(PluginException.class, Transfusion::registry);
            assertTrue(e.getMessage().contains("sdk-core"), e.getMessage());
        }
    }
}
