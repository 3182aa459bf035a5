package dev.transfusion.testing;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImageScore;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextScore;
import dev.transfusion.api.TransfusionModel;

/**
 * A stand-in model for tests that need only some of a model's calls: implement those, and every other call fails
 * loudly (a test that reaches one has a wrong premise). An interface, so that records can be stand-ins.
 */
public interface StubModel extends TransfusionModel {

    @Override
    default GenerationResult generate(Document prompt, GenerationOptions options, GenerationListener listener,
                                      Cancellation cancellation) {
        throw new UnsupportedOperationException("generate is not part of this stand-in");
    }

    @Override
    default String caption(RgbImage image, GenerationOptions options) {
        throw new UnsupportedOperationException("caption is not part of this stand-in");
    }

    @Override
    default String answer(RgbImage image, String question, GenerationOptions options) {
        throw new UnsupportedOperationException("answer is not part of this stand-in");
    }

    @Override
    default TextScore scoreText(Document context, String text) {
        throw new UnsupportedOperationException("scoreText is not part of this stand-in");
    }

    @Override
    default ImageScore scoreImage(String caption, RgbImage image, int[] timesteps, long seed) {
        throw new UnsupportedOperationException("scoreImage is not part of this stand-in");
    }

    @Override
    default ModelInfo info() {
        throw new UnsupportedOperationException("info is not part of this stand-in");
    }

    @Override
    default void close() {
    }
}
