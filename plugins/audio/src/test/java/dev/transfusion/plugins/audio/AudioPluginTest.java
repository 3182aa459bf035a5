package dev.transfusion.plugins.audio;

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
        assertEquals(List.of("the audio codec (log-mel) is frozen: nothing to train; wrote its config.json to " + out),
                notes);
        var settings = assertThrows(PluginException.class, () -> plugin.trainCodec(List.of(), dir.resolve("x"),
                new CodecTraining(0, 1, 0, Map.of("mels", "64", "beta", "1")), listener));
        assertEquals("the audio codec is frozen and takes no settings, got [beta, mels]", settings.getMessage());
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
