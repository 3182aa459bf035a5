package dev.transfusion.core.model;

import java.nio.file.Path;

/**
 * How a model directory stores its weights: a {@code weights/} folder of {@code param.NAME.npy} files
 * ({@link NpyWeights}) or one {@code weights.safetensors} file ({@link SafeTensorWeights}); both use the
 * reference's parameter names and torch layouts.
 */
public enum WeightFormat {
    /** {@code weights/param.NAME.npy}, one NumPy array per parameter. */
    NPY("weights"),
    /** {@code weights.safetensors}, every parameter in one file. */
    SAFETENSORS(SafeTensorWeights.FILE);

    private final String entry;

    WeightFormat(String entry) {
        this.entry = entry;
    }

    /** Where a model directory keeps weights of this format. */
    public Path in(Path modelDir) {
        return modelDir.resolve(entry);
    }
}
