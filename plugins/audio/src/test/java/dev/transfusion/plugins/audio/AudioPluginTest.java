package dev.transfusion.plugins.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Part;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.ModalityPlugin;
import dev.transfusion.plugins.audio.tones.ToneSample;
import dev.transfusion.plugins.audio.tones.TonesDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioPluginTest {
    @TempDir
    Path dir;
    final AudioPlugin plugin = new AudioPlugin();

    @Test
    void isFoundByServiceLoader() {
        ContinuousModalityPlugin audio = null;
        for (ModalityPlugin p : ServiceLoader.load(ModalityPlugin.class)) {
            if (p instanceof AudioPlugin a) {
                audio = a;
            }
        }
        assertTrue(audio != null, "AudioPlugin is registered in META-INF/services");
        assertEquals("audio", audio.modality());
        assertEquals("<boa>", audio.beginToken());
        assertEquals("<eoa>", audio.endToken());
        assertEquals(AudioPlugin.VERSION, audio.version());
    }

    @Test
    void aSavedCodecLoadsAndAWavFileBecomesAPartTheCodecReads() {
        plugin.saveCodec(dir.resolve("codec"));
        LatentCodec codec = plugin.loadCodec(dir.resolve("codec"));
        assertInstanceOf(LogMelCodec.class, codec);
        ToneSample s = TonesDataset.of(TonesDataset.Split.TEST).sample(4);
        plugin.write(dir.resolve("a.wav"), s.clip().toPart());
        Part part = plugin.read(dir.resolve("a.wav"));
        assertEquals("audio", part.modality());
        assertEquals(s.clip(), AudioClip.of(part));
        assertEquals(codec.encode(s.clip().toPart()), codec.encode(part));
    }

    @Test
    void aMissingOrDifferentCodecConfigIsRefusedByName() throws IOException {
        var missing = assertThrows(PluginException.class, () -> plugin.loadCodec(dir));
        assertEquals("audio codec directory " + dir + " has no config.json", missing.getMessage());
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{not json");
        assertTrue(assertThrows(PluginException.class, () -> plugin.loadCodec(dir)).getMessage()
                .startsWith(config + " is not valid JSON: "));
        plugin.saveCodec(dir);
        Files.writeString(config, Files.readString(config).replace("\"mels\" : 32", "\"mels\" : 64"));
        assertEquals(config + ": field 'mels' is 64, this build's audio codec has 32",
                assertThrows(PluginException.class, () -> plugin.loadCodec(dir)).getMessage());
        Files.writeString(config, "{\"codec\": \"log-mel\"}");
        assertEquals(config + ": missing field 'sample_rate' (expected 8000)",
                assertThrows(PluginException.class, () -> plugin.loadCodec(dir)).getMessage());
        Files.writeString(config, "{\"codec\": \"vae\"}");
        assertEquals(config + ": field 'codec' is \"vae\", this build's audio codec has \"log-mel\"",
                assertThrows(PluginException.class, () -> plugin.loadCodec(dir)).getMessage());
    }
}
