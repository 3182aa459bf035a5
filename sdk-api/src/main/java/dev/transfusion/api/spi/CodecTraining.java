package dev.transfusion.api.spi;

import dev.transfusion.api.InvalidInputException;
import java.util.Map;

/**
 * How to train a codec ({@link ContinuousModalityPlugin#trainCodec}): plain settings every codec understands,
 * and the plugin's own as text (read and checked by the plugin, which names the ones it does not know).
 *
 * @param steps    optimizer steps; 0 for the plugin's default (a frozen codec ignores it)
 * @param seed     random seed
 * @param threads  CPU threads the training may use; 0 for the engine's default
 * @param settings plugin-specific settings, name to value
 */
public record CodecTraining(int steps, long seed, int threads, Map<String, String> settings) {

    public CodecTraining {
        if (steps < 0) {
            throw new InvalidInputException("codec training steps must be >= 0, got " + steps);
        }
        if (threads < 0) {
            throw new InvalidInputException("codec training threads must be >= 0, got " + threads);
        }
        settings = Map.copyOf(settings);
    }

    /** The plugin's defaults with a seed. */
    public static CodecTraining defaults(long seed) {
        return new CodecTraining(0, seed, 0, Map.of());
    }
}
