package dev.transfusion.plugins.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.plugins.audio.tones.TonesDataset;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavFileTest {
    @TempDir
    Path dir;

    @Test
    void aClipOnTheSixteenBitGridIsWrittenAndReadBackExactly() {
        AudioClip clip = TonesDataset.of(TonesDataset.Split.TEST).sample(0).clip();
        Path file = dir.resolve("a.wav");
        WavFile.write(file, clip);
        assertEquals(clip, WavFile.read(file));
        assertEquals(44 + 16000, file.toFile().length());
    }

    @Test
    void javaSoundReadsTheFileAsMonoEightKilohertzSixteenBitPcm() throws Exception {
        AudioClip clip = TonesDataset.of(TonesDataset.Split.TEST).sample(1).clip();
        byte[] bytes = WavFile.encode(clip);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(bytes))) {
            AudioFormat f = in.getFormat();
            assertEquals(AudioFormat.Encoding.PCM_SIGNED, f.getEncoding());
            assertEquals(1, f.getChannels());
            assertEquals(8000f, f.getSampleRate());
            assertEquals(16, f.getSampleSizeInBits());
            assertEquals(8000, in.getFrameLength());
            byte[] pcm = in.readAllBytes();
            ByteBuffer b = ByteBuffer.wrap(pcm).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            float[] x = clip.samples();
            for (int i = 0; i < 8000; i++) {
                assertEquals(Math.round(x[i] * 32768), b.getShort(2 * i), "sample " + i);
            }
        }
    }

    @Test
    void samplesAreClampedToFullScaleAndNaNIsRefused() {
        AudioClip loud = WavFile.decode(WavFile.encode(new AudioClip(new float[] {2f, -2f, 1f, -1f, 0.5f})), "test");
        assertArrayEquals(new float[] {32767 / 32768f, -1f, 32767 / 32768f, -1f, 0.5f}, loud.samples());
        var e = assertThrows(InvalidInputException.class, () -> WavFile.encode(new AudioClip(new float[] {0, Float.NaN})));
        assertEquals("sample 1 of the clip is NaN; WAV samples must be finite", e.getMessage());
    }

    @Test
    void stereoIsRefused() throws IOException {
        assertRefused(header(1, 2, 8000, 16, 16000), "WAV file FILE: 2 channels, expected mono (1 channel) 8000 Hz 16-bit PCM");
    }

    @Test
    void anotherRateIsRefused() throws IOException {
        assertRefused(header(1, 1, 44100, 16, 16000), "WAV file FILE: 44100 Hz, expected mono (1 channel) 8000 Hz 16-bit PCM");
    }

    @Test
    void anotherSampleSizeOrFormatIsRefused() throws IOException {
        assertRefused(header(1, 1, 8000, 8, 8000), "WAV file FILE: 8-bit samples, expected mono (1 channel) 8000 Hz 16-bit PCM");
        assertRefused(header(3, 1, 8000, 32, 32000),
                "WAV file FILE: sample format 3 (IEEE float), expected mono (1 channel) 8000 Hz 16-bit PCM (format 1)");
    }

    @Test
    void aFileThatIsNotRiffOrNotWaveIsRefused() throws IOException {
        assertRefused("hello, this is text".getBytes(StandardCharsets.US_ASCII),
                "WAV file FILE is not a WAV file: expected 'RIFF' at byte 0, found 'hell'");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
        assertRefused(png, "WAV file FILE is not a WAV file: expected 'RIFF' at byte 0, found 0x89504e47");
        byte[] avi = header(1, 1, 8000, 16, 16000);
        System.arraycopy("AVI ".getBytes(StandardCharsets.US_ASCII), 0, avi, 8, 4);
        assertRefused(avi, "WAV file FILE is a RIFF file but not WAVE: form type 'AVI '");
        assertRefused(new byte[5], "WAV file FILE is not a WAV file: 5 bytes, too short for a RIFF header (12 bytes)");
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        byte[] whole = WavFile.encode(TonesDataset.of(TonesDataset.Split.TEST).sample(2).clip());
        assertRefused(Arrays.copyOf(whole, whole.length - 10),
                "WAV file FILE is truncated: its 'data' chunk declares 16000 bytes but only 15990 follow");
        assertRefused(Arrays.copyOf(whole, 20), "WAV file FILE is truncated or damaged: its 'fmt ' chunk has 0 bytes, needs 16");
        assertRefused(Arrays.copyOf(whole, 36), "WAV file FILE has no 'data' chunk (truncated?)");
        assertRefused(Arrays.copyOf(whole, 12), "WAV file FILE has no 'fmt ' chunk (truncated?)");
    }

    @Test
    void dataWithoutFormatOddDataAndEmptyDataAreRefused() throws IOException {
        byte[] dataFirst = ByteBuffer.allocate(12 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN)
                .put(ascii("RIFF")).putInt(16).put(ascii("WAVE")).put(ascii("data")).putInt(4).putInt(0).array();
        assertRefused(dataFirst,
                "WAV file FILE has its 'data' chunk before any 'fmt ' chunk; expected mono (1 channel) 8000 Hz 16-bit PCM");
        assertRefused(header(1, 1, 8000, 16, 15999), "WAV file FILE has 15999 data bytes, not a whole number of 16-bit samples");
        assertRefused(header(1, 1, 8000, 16, 0), "WAV file FILE holds no samples");
    }

    @Test
    void chunksBeforeTheDataAreSkippedIncludingOddPadding() {
        ByteBuffer b = ByteBuffer.allocate(12 + 24 + 8 + 4 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(b.capacity() - 8).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000)
                .putShort((short) 2).putShort((short) 16);
        b.put(ascii("LIST")).putInt(3).put(new byte[] {1, 2, 3, 0});   // 3 bytes and a pad byte
        b.put(ascii("data")).putInt(4).putShort((short) 16384).putShort((short) -32768);
        assertArrayEquals(new float[] {0.5f, -1f}, WavFile.decode(b.array(), "x").samples());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("gone.wav");
        var e = assertThrows(InvalidInputException.class, () -> WavFile.read(missing));
        assertEquals("WAV file " + missing + " does not exist or is not a file", e.getMessage());
    }

    /** A canonical 44-byte header with the given fields, followed by dataBytes zero bytes. */
    static byte[] header(int format, int channels, int rate, int bits, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + dataBytes).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) format).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.put(ascii("data")).putInt(dataBytes);
        return b.array();
    }

    private void assertRefused(byte[] bytes, String message) throws IOException {
        Path file = dir.resolve("bad.wav");
        Files.write(file, bytes);
        var e = assertThrows(InvalidInputException.class, () -> WavFile.read(file));
        assertEquals(message.replace("FILE", file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "the message names the file");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
