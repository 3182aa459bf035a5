package dev.transfusion.testing;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.spi.Tokenizer;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.model.ParameterLayout;
import dev.transfusion.core.runtime.ModelDirectory;
import dev.transfusion.plugins.image.ImageVaePlugin;
import dev.transfusion.plugins.image.PixelCodec;
import dev.transfusion.plugins.text.BpeTextPlugin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An untrained model directory of the tiny preset (a BPE tokenizer, 4x4 images through the pass-through pixel
 * codec, 2x2 patches), written in a second: for tests that need a real model directory to load, serve or
 * drive from the command line, not one that draws anything in particular.
 */
public final class TinyModel {
    private TinyModel() {
    }

    /** {@code TinyModel DIR}: writes {@code DIR/model} (for samples/consumer, run by the build). */
    public static void main(String[] args) {
        write(Path.of(args[0]));
    }

    /** Writes {@code dir/codec} and {@code dir/model}; returns the model directory. */
    public static Path write(Path dir) {
        BpeTextPlugin text = new BpeTextPlugin();
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            corpus.add("a red circle and a blue square");
            corpus.add("what shape is it? a circle");
        }
        Tokenizer tokenizer = text.trainTokenizer(corpus, 280, BpeTextPlugin.DEFAULT_SPECIAL_TOKENS);
        TransfusionConfig tiny = TransfusionConfig.preset("tiny");
        TransfusionConfig.SpecialTokens specials = new TransfusionConfig.SpecialTokens(id(tokenizer, "<bos>"),
                id(tokenizer, "<eos>"), id(tokenizer, "<boi>"), id(tokenizer, "<eoi>"), id(tokenizer, "<pad>"));
        // the pixel codec's latent is the image itself: 3 channels
        TransfusionConfig config = new TransfusionConfig(tokenizer.vocabSize(), tiny.dim(), tiny.layers(), tiny.heads(),
                tiny.ffnHidden(), 3, tiny.patch(), tiny.timeFreqDim(), tiny.ropeTheta(), tiny.normEps(),
                tiny.diffusionSteps(), tiny.ddpmWeight(), specials, tiny.patchCoder(), tiny.maxLength(),
                tiny.imageFirstShare(), tiny.imageFirstTMax(), tiny.conditionDropout());
        Path codecDir = dir.resolve("codec");
        new PixelCodec(4, tiny.patch()).save(codecDir);
        Path modelDir = dir.resolve("model");
        ModelDirectory.write(modelDir, config, new ParameterLayout(config).initialValues(7), tokenizer, codecDir,
                new ModelDirectory.Metadata(text.modality(), text.version(), ImagePart.MODALITY,
                        new ImageVaePlugin().version(), 4, 4));
        return modelDir;
    }

    private static int id(Tokenizer t, String token) {
        Integer id = t.specialTokenId(token);
        if (id == null) {
            throw new IllegalStateException("no " + token);
        }
        return id;
    }
}
