package dev.transfusion.plugins.image;

import java.nio.file.Path;

/** Small untrained VAEs for tests: real graphs, seconds to build, no training. */
final class TinyVae {
    private TinyVae() {
    }

    /** 32x32 -> 8x8x4 with widths 4/8. */
    static VaeConfig config4x() {
        return new VaeConfig(32, 4, 4, new int[] {4, 8}, "silu", "l1", 1e-5, 4, 2, 1.7);
    }

    /** 32x32 -> 4x4x8 with widths 4/8/8. */
    static VaeConfig config8x() {
        return new VaeConfig(32, 8, 8, new int[] {4, 8, 8}, "leaky_relu", "mse", 1e-4, 0, 2, 0.6);
    }

    static VaeCodec codec(VaeConfig c) {
        return new VaeCodec(c, VaeNetwork.initialize(c, 5));
    }

    /** Writes an untrained codec directory (no optimizer state). */
    static void save(VaeConfig c, Path dir) {
        CodecDirectory.write(dir, new CodecDirectory.Contents(c.toJson(), VaeNetwork.initialize(c, 5),
                java.util.Map.of(), java.util.Map.of(), null), VaeNetwork.parameterShapes(c));
    }
}
