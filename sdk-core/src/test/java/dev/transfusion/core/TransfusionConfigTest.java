package dev.transfusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.core.model.ParameterLayout;
import org.junit.jupiter.api.Test;

class TransfusionConfigTest {

    @Test
    void everyPresetRoundTripsThroughJson() {
        TransfusionConfig.PRESETS.forEach((name, c) ->
                assertEquals(c, TransfusionConfig.fromJson(c.toJson()), name));
    }

    @Test
    void benchIsTheReferenceBenchConfig() {
        TransfusionConfig b = TransfusionConfig.preset("bench");
        assertEquals(512, b.vocab());
        assertEquals(256, b.dim());
        assertEquals(4, b.layers());
        assertEquals(4, b.heads());
        assertEquals(704, b.ffnHidden());
        assertEquals(256, b.timeFreqDim());
        assertEquals(16, b.patchDim());
    }

    @Test
    void paperSizesAreCountedWithoutBuildingAGraph() {
        // 7B: 32 layers of width 4096 with SwiGLU 11008 -> 6.5e9 in the blocks alone
        long p7 = TransfusionConfig.preset("7B").parameterCount();
        assertTrue(p7 > 6.5e9 && p7 < 7.5e9, "7B preset counts " + p7);
        long p016 = TransfusionConfig.preset("0.16B").parameterCount();
        assertTrue(p016 > 1.4e8 && p016 < 2.0e8, "0.16B preset counts " + p016);
        TransfusionConfig.PRESETS.forEach((name, c) ->
                assertEquals(new ParameterLayout(c).count(), c.parameterCount(), name));
    }

    @Test
    void theReferenceFixtureConfigReadsWithDefaultsForOurFields() {
        String json = "{\"vocab\": 64, \"dim\": 32, \"layers\": 2, \"heads\": 2, \"ffn_hidden\": 48,"
                + " \"latent_channels\": 4, \"patch\": 2, \"time_freq_dim\": 32, \"rope_theta\": 10000.0,"
                + " \"norm_eps\": 1e-05, \"diffusion_steps\": 1000, \"ddpm_weight\": 5.0,"
                + " \"special_tokens\": {\"bos\": 0, \"eos\": 1, \"boi\": 2, \"eoi\": 3, \"pad\": 4},"
                + " \"losses\": [\"lm\", \"ddpm\", \"total\"]}";
        TransfusionConfig c = TransfusionConfig.fromJson(json);
        assertEquals("linear", c.patchCoder());
        assertEquals(2, c.specialTokens().boi());
        assertEquals(TransfusionConfig.preset("tiny").parameterCount(), c.parameterCount());
    }

    @Test
    void badFieldsAreNamed() {
        var e = assertThrows(InvalidInputException.class, () ->
                TransfusionConfig.fromJson(TransfusionConfig.preset("tiny").toJson().replace("\"heads\" : 2", "\"heads\" : 3")));
        assertTrue(e.getMessage().contains("heads"), e.getMessage());
        var e2 = assertThrows(InvalidInputException.class, () -> TransfusionConfig.preset("huge"));
        assertTrue(e2.getMessage().contains("tiny"), e2.getMessage());
    }

    @Test
    void valuesThatWouldOverflowOrPointOutsideTheVocabularyAreRefused() {
        String tiny = TransfusionConfig.preset("tiny").toJson();
        var e = assertThrows(InvalidInputException.class, () -> TransfusionConfig.fromJson(
                tiny.replaceFirst("\"max_length\" : \\d+", "\"max_length\" : 2147483000")));
        assertTrue(e.getMessage().contains("config field 'max_length' must be 2..1048576, got 2147483000"),
                e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> TransfusionConfig.fromJson(
                tiny.replaceFirst("\"eos\" : \\d+", "\"eos\" : 99999")));
        assertTrue(e.getMessage().contains("config field 'special_tokens' must be ids inside the vocabulary"),
                e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> TransfusionConfig.fromJson(
                tiny.replaceFirst("\"vocab\" : \\d+", "\"vocab\" : 2000000000")));
        assertTrue(e.getMessage().contains("config field 'dim' must be a size whose weight matrices fit"),
                e.getMessage());
    }
}
