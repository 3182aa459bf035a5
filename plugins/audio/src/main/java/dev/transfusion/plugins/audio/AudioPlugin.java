package dev.transfusion.plugins.audio;

import dev.transfusion.api.Part;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.LatentCodec;
import java.nio.file.Path;

/**
 * The audio modality: spans open with {@code <boa>} and close with {@code <eoa>}; parts are 1 s mono clips
 * at 8 kHz ({@link AudioClip}) read from and written to WAV files; the codec is the frozen
 * {@link LogMelCodec}.
 */
public final class AudioPlugin implements ContinuousModalityPlugin {
    /** The plugin's version, recorded in models that use it. */
    public static final String VERSION = "0.1.0";

    @Override
    public String modality() {
        return AudioClip.MODALITY;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String description() {
        return "mono 8 kHz clips <-> log-mel latents [1, 32, 64] (frozen; decoded by Griffin-Lim); reads and writes 16-bit PCM WAV";
    }

    @Override
    public String beginToken() {
        return "<boa>";
    }

    @Override
    public String endToken() {
        return "<eoa>";
    }

    /** Loads the codec a directory written by {@link #saveCodec} describes. */
    @Override
    public LatentCodec loadCodec(Path directory) {
        return CodecDirectory.load(directory);
    }

    /** Writes the codec's directory (its config; the codec has no weights). */
    public void saveCodec(Path directory) {
        CodecDirectory.write(directory);
    }

    /** A WAV file as an audio part. */
    public Part read(Path wav) {
        return WavFile.read(wav).toPart();
    }

    /** Writes an audio part as a WAV file. */
    public void write(Path wav, Part part) {
        WavFile.write(wav, AudioClip.of(part));
    }
}
