package dev.transfusion.plugins.audio;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.spi.CodecTraining;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.LatentCodec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The audio modality: spans open with {@code <boa>} and close with {@code <eoa>}; parts are 1 s mono clips
 * at 8 kHz ({@link AudioClip}) read from and written to WAV files; the codec is the frozen
 * {@link LogMelCodec}, so "training" it writes its directory and learns nothing.
 */
public final class AudioPlugin implements ContinuousModalityPlugin {
    /** The plugin's version, recorded in models that use it. */
    public static final String VERSION = "0.3.0";
    /** The codec setting that picks the latent grid ({@code --set grid=fine}). */
    public static final String GRID = "grid";

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
        return "mono 8 kHz 1 s clips <-> log-mel latents [1, 32, 8], patches 8 x 2 (frozen; decoded by Griffin-Lim; "
                + "--set grid=fine: [1, 32, 64], patches 4 x 8); reads and writes 16-bit PCM WAV";
    }

    @Override
    public String beginToken() {
        return "<boa>";
    }

    @Override
    public String endToken() {
        return "<eoa>";
    }

    /** Loads the codec a directory written by {@link #saveCodec} (or {@link #trainCodec}) describes. */
    @Override
    public LatentCodec loadCodec(Path directory) {
        return CodecDirectory.load(directory);
    }

    /** Writes the directory of the codec on the default grid (its config; the codec has no weights). */
    public void saveCodec(Path directory) {
        CodecDirectory.write(directory, LogMelGrid.COARSE);
    }

    @Override
    public List<String> fileExtensions() {
        return List.of("wav");
    }

    /**
     * A WAV file as an audio part. Besides the format {@link WavFile} checks, the clip must be exactly 1 s
     * (8,000 samples): the codec reads nothing else, and here the error can still name the file.
     */
    @Override
    public Part readFile(Path file) {
        AudioClip clip = WavFile.read(file);
        if (clip.length() != LogMelCodec.SAMPLES) {
            throw new InvalidInputException("WAV file " + file + " holds " + clip.length() + " samples ("
                    + String.format(Locale.ROOT, "%.3f", clip.length() / (double) AudioClip.SAMPLE_RATE)
                    + " s); the audio modality reads clips of exactly " + LogMelCodec.SAMPLES + " samples (1 s at "
                    + AudioClip.SAMPLE_RATE + " Hz)");
        }
        return clip.toPart();
    }

    /** Writes an audio part as a 16-bit PCM WAV file, replacing the file. */
    @Override
    public void writeFile(Path file, Part part) {
        WavFile.write(file, AudioClip.of(part));
    }

    /**
     * The log-mel codec is frozen: there is nothing to learn, so this writes its directory (the config
     * {@link #loadCodec} checks) and tells the listener so. {@code samples} are not read and
     * {@code options.steps()} is ignored. The one setting is {@code grid} ({@code coarse}, the default, or
     * {@code fine}: {@link LogMelGrid}); any other is refused by name.
     */
    @Override
    public void trainCodec(Iterable<Part> samples, Path outputDir, CodecTraining options, TrainingListener listener) {
        TreeSet<String> unknown = new TreeSet<>(options.settings().keySet());
        unknown.remove(GRID);
        if (!unknown.isEmpty()) {
            throw new PluginException("the audio codec is frozen and takes only the setting '" + GRID + "' "
                    + LogMelGrid.ALL.stream().map(LogMelGrid::name).toList() + ", got " + unknown);
        }
        LogMelGrid grid = LogMelGrid.named(options.settings().getOrDefault(GRID, LogMelGrid.COARSE.name()));
        CodecDirectory.write(outputDir, grid);
        listener.onNote("the audio codec (" + LogMelCodec.CODEC + ", " + grid.name() + " grid "
                + Arrays.toString(grid.latentShape()) + ") is frozen: nothing to train; wrote its "
                + CodecDirectory.CONFIG + " to " + outputDir);
    }
}
