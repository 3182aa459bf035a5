package dev.transfusion.plugins.audio;

import dev.transfusion.api.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * WAV files of the one format the audio modality uses: RIFF/WAVE, a {@code fmt } chunk with format 1 (PCM),
 * 1 channel, 8,000 samples a second, 16 bits, then a {@code data} chunk. Written here by hand rather than with
 * {@code javax.sound.sampled} so that every refusal can say exactly which field is wrong.
 *
 * <p>Sample s (a signed 16-bit integer) stands for s / 32768; writing rounds x * 32768 and clamps it to
 * [-32768, 32767], so a clip already on that grid is written and read back exactly.
 */
public final class WavFile {
    /** Files over this size are refused before they are read. */
    public static final long MAX_BYTES = 64L << 20;
    /** What every message about a wrong format ends with. */
    static final String EXPECTED = "expected mono (1 channel) " + AudioClip.SAMPLE_RATE + " Hz 16-bit PCM";
    private static final int HEADER = 44;

    private WavFile() {
    }

    /** Reads a clip; a file of another format is refused, naming the file, the field and what was expected. */
    public static AudioClip read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("WAV file " + file + " does not exist or is not a file");
        }
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new InvalidInputException("WAV file " + file + " has " + size + " bytes, over the limit of " + MAX_BYTES);
            }
            return decode(Files.readAllBytes(file), "WAV file " + file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read WAV file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a clip, replacing the file. */
    public static void write(Path file, AudioClip clip) {
        try {
            Files.write(file, encode(clip));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write WAV file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The bytes of a WAV file holding the clip (e.g. an {@code audio/wav} payload). */
    public static byte[] encode(AudioClip clip) {
        float[] x = clip.samples();
        int dataBytes = 2 * x.length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + dataBytes).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1).putInt(AudioClip.SAMPLE_RATE)
                .putInt(2 * AudioClip.SAMPLE_RATE).putShort((short) 2).putShort((short) 16);
        b.put(ascii("data")).putInt(dataBytes);
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new InvalidInputException("sample " + i + " of the clip is " + x[i] + "; WAV samples must be finite");
            }
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768.0))));
        }
        return b.array();
    }

    /**
     * The clip in a WAV file's bytes. {@code name} says where they came from in every message, e.g.
     * {@code "WAV file a.wav"}.
     */
    public static AudioClip decode(byte[] bytes, String name) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12) {
            throw new InvalidInputException(name + " is not a WAV file: " + bytes.length
                    + " bytes, too short for a RIFF header (12 bytes)");
        }
        if (!tag(bytes, 0).equals("RIFF")) {
            throw new InvalidInputException(name + " is not a WAV file: expected 'RIFF' at byte 0, found " + printable(bytes, 0));
        }
        if (!tag(bytes, 8).equals("WAVE")) {
            throw new InvalidInputException(name + " is a RIFF file but not WAVE: form type " + printable(bytes, 8));
        }
        boolean format = false;
        long next = 12;   // long: a chunk size near 4 GiB must not wrap the offset around
        while (next + 8 <= bytes.length) {
            int offset = (int) next;
            String id = tag(bytes, offset);
            long size = Integer.toUnsignedLong(b.getInt(offset + 4));
            int body = offset + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > bytes.length) {
                    throw new InvalidInputException(name + " is truncated or damaged: its 'fmt ' chunk has "
                            + Math.min(size, bytes.length - body) + " bytes, needs 16");
                }
                checkFormat(b, body, name);
                format = true;
            } else if (id.equals("data")) {
                if (!format) {
                    throw new InvalidInputException(name + " has its 'data' chunk before any 'fmt ' chunk; " + EXPECTED);
                }
                return samples(b, body, size, name);
            }
            next = body + size + (size & 1);   // chunks are padded to even sizes
        }
        throw new InvalidInputException(name + (format ? " has no 'data' chunk (truncated?)" : " has no 'fmt ' chunk (truncated?)"));
    }

    private static void checkFormat(ByteBuffer b, int at, String name) {
        int formatTag = Short.toUnsignedInt(b.getShort(at)), channels = Short.toUnsignedInt(b.getShort(at + 2));
        long rate = Integer.toUnsignedLong(b.getInt(at + 4));
        int bits = Short.toUnsignedInt(b.getShort(at + 14));
        if (formatTag != 1) {
            String kind = switch (formatTag) {
                case 3 -> " (IEEE float)";
                case 0xFFFE -> " (extensible)";
                default -> "";
            };
            throw new InvalidInputException(name + ": sample format " + formatTag + kind + ", " + EXPECTED + " (format 1)");
        }
        if (channels != 1) {
            throw new InvalidInputException(name + ": " + channels + " channels, " + EXPECTED);
        }
        if (rate != AudioClip.SAMPLE_RATE) {
            throw new InvalidInputException(name + ": " + rate + " Hz, " + EXPECTED);
        }
        if (bits != 16) {
            throw new InvalidInputException(name + ": " + bits + "-bit samples, " + EXPECTED);
        }
    }

    private static AudioClip samples(ByteBuffer b, int at, long size, String name) {
        long present = b.capacity() - at;
        if (size > present) {
            throw new InvalidInputException(name + " is truncated: its 'data' chunk declares " + size
                    + " bytes but only " + present + " follow");
        }
        if (size % 2 != 0) {
            throw new InvalidInputException(name + " has " + size + " data bytes, not a whole number of 16-bit samples");
        }
        if (size == 0) {
            throw new InvalidInputException(name + " holds no samples");
        }
        float[] x = new float[(int) (size / 2)];
        for (int i = 0; i < x.length; i++) {
            x[i] = b.getShort(at + 2 * i) / 32768f;
        }
        return new AudioClip(x);
    }

    private static String tag(byte[] bytes, int at) {
        return new String(bytes, at, 4, StandardCharsets.ISO_8859_1);
    }

    /** Four bytes for a message: quoted when printable ASCII, else in hex. */
    private static String printable(byte[] bytes, int at) {
        StringBuilder hex = new StringBuilder();
        boolean ascii = true;
        for (int i = at; i < at + 4; i++) {
            ascii &= bytes[i] >= 0x20 && bytes[i] < 0x7f;
            hex.append(String.format("%02x", bytes[i] & 0xff));
        }
        return ascii ? "'" + tag(bytes, at) + "'" : "0x" + hex;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
