package dev.transfusion.plugins.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.TrainingStep;
import dev.transfusion.api.spi.CodecTraining;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.ModalityPlugin;
import dev.transfusion.plugins.audio.tones.ToneSample;
import dev.transfusion.plugins.audio.tones.TonesDataset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        assertEquals(List.of("wav"), audio.fileExtensions());
    }

    @Test
    void aSavedCodecLoadsAndAWavFileBecomesAPartTheCodecReads() {
        plugin.saveCodec(dir.resolve("codec"));
        LatentCodec codec = plugin.loadCodec(dir.resolve("codec"));
        assertInstanceOf(LogMelCodec.class, codec);
        ToneSample s = TonesDataset.of(TonesDataset.Split.TEST).sample(4);
        plugin.writeFile(dir.resolve("a.wav"), s.clip().toPart());
        Part part = plugin.readFile(dir.resolve("a.wav"));
        assertEquals("audio", part.modality());
        assertEquals(s.clip(), AudioClip.of(part));
        assertEquals(codec.encode(s.clip().toPart()), codec.encode(part));
    }

    @Test
    void trainingTheFrozenCodecWritesItsDirectoryAndSaysSo() {
        List<String> notes = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(TrainingStep step) {
                throw new AssertionError("a frozen codec takes no steps");
            }

            @Override
            public void onNote(String note) {
                notes.add(note);
            }
        };
        Path out = dir.resolve("codecs/audio");
        plugin.trainCodec(List.of(), out, CodecTraining.defaults(7), listener);
        assertInstanceOf(LogMelCodec.class, plugin.loadCodec(out));
        assertEquals(List.of("the audio codec (log-mel, coarse grid [1, 32, 8]) is frozen: nothing to train; wrote its config.json to " + out),
                notes);
        var settings = assertThrows(PluginException.class, () -> plugin.trainCodec(List.of(), dir.resolve("x"),
                new CodecTraining(0, 1, 0, Map.of("mels", "64", "beta", "1")), listener));
        assertEquals("the audio codec is frozen and takes only the setting 'grid' [coarse, fine], got [beta, mels]", settings.getMessage());
        assertFalse(Files.exists(dir.resolve("x")), "a refused training writes nothing");
    }

    @Test
    void aWavFileOfAnotherLengthOrRateIsRefusedNamingTheFile() throws IOException {
        Path half = dir.resolve("half.wav");
        WavFile.write(half, new AudioClip(new float[4000]));
        var shortFile = assertThrows(InvalidInputException.class, () -> plugin.readFile(half));
        assertEquals("WAV file " + half + " holds 4000 samples (0.500 s); the audio modality reads clips of exactly "
                + "8000 samples (1 s at 8000 Hz)", shortFile.getMessage());
        Path cd = dir.resolve("cd.wav");
        byte[] bytes = WavFile.encode(new AudioClip(new float[8000]));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 44100);   // the fmt chunk's sample rate
        Files.write(cd, bytes);
        assertEquals("WAV file " + cd + ": 44100 Hz, expected mono (1 channel) 8000 Hz 16-bit PCM",
                assertThrows(InvalidInputException.class, () -> plugin.readFile(cd)).getMessage());
        Path missing = dir.resolve("none.wav");
        assertEquals("WAV file " + missing + " does not exist or is not a file",
                assertThrows(InvalidInputException.class, () -> plugin.readFile(missing)).getMessage());
        var text = assertThrows(InvalidInputException.class,
                () -> plugin.writeFile(dir.resolve("t.wav"), new TextPart("hello")));
        assertEquals("expected an 'audio' part, got a 'text' part", text.getMessage());
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
        assertEquals(config + ": field 'mels' is 64, this build's audio codec (coarse grid) has 32",
                assertThrows(PluginException.class, () -> plugin.loadCodec(dir)).getMessage());
        Files.writeString(config, "{\"codec\": \"log-mel\"}");
        assertEquals(config + ": missing field 'sample_rate' (expected 8000)",
                assertThrows(PluginException.class, () -> plugin.loadCodec(dir)).getMessage());
        Files.writeString(config, "{\"codec\": \"vae\"}");
        assertEquals(config + ": field 'codec' is \"vae\", this build's audio codec (fine grid) has \"log-mel\"",
                assertThrows(PluginException.class, () -> plugin.loadCodec(dir)).getMessage());
    }

    @Test
    void theGridSettingPicksTheFineGridAndAnUnknownGridIsRefusedNamingTheKnownOnes() {
        Path fine = dir.resolve("fine");
        plugin.trainCodec(List.of(), fine, new CodecTraining(0, 1, 0, Map.of("grid", "fine")), TrainingListener.NONE);
        LogMelCodec codec = (LogMelCodec) plugin.loadCodec(fine);
        assertEquals(LogMelGrid.FINE, codec.grid());
        assertArrayEquals(new int[] {1, 32, 64}, codec.latentShape());
        var unknown = assertThrows(PluginException.class, () -> plugin.trainCodec(List.of(), dir.resolve("y"),
                new CodecTraining(0, 1, 0, Map.of("grid", "medium")), TrainingListener.NONE));
        assertEquals("unknown audio latent grid 'medium'; the audio codec has [coarse, fine]", unknown.getMessage());
        assertFalse(Files.exists(dir.resolve("y")), "a refused grid writes nothing");
    }

    @Test
    void aCodecDirectoryWrittenBeforeGridsExistedLoadsAsTheFineGrid() throws IOException {
        // plugin 0.2.0's config.json, as models trained then hold it
        Files.writeString(dir.resolve("config.json"), """
                {
                  "codec" : "log-mel", "sample_rate" : 8000, "samples" : 8000, "frame" : 256, "hop" : 128,
                  "mels" : 32, "mel_min_hz" : 80.0, "mel_max_hz" : 4000.0, "floor" : 0.01, "mean" : -3.327,
                  "std" : 2.148, "latent_shape" : [ 1, 32, 64 ], "patch" : [ 4, 8 ], "plugin_version" : "0.2.0"
                }
                """);
        LogMelCodec codec = (LogMelCodec) plugin.loadCodec(dir);
        assertEquals(LogMelGrid.FINE, codec.grid());
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("\"codec\" : \"log-mel\",", "\"codec\" : \"log-mel\", \"grid\" : \"huge\","));
        assertEquals(dir.resolve("config.json") + ": unknown audio latent grid 'huge'; the audio codec has [coarse, fine]",
                assertThrows(PluginException.class, () -> plugin.loadCodec(dir)).getMessage());
    }
}
