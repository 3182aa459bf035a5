package dev.transfusion.testing;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.spi.Tokenizer;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.model.ParameterLayout;
import dev.transfusion.core.runtime.ModelDirectory;
import dev.transfusion.core.runtime.ModelTrainer;
import dev.transfusion.plugins.image.ImageVaePlugin;
import dev.transfusion.plugins.image.PixelCodec;
import dev.transfusion.plugins.text.BpeTextPlugin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
        return write(dir, false);
    }

    /**
     * As {@link #write(Path)}; with {@code imageFirst} the weights make begin-of-image the most likely next token
     * everywhere: each embedding holds 100 in dimension 0, the blocks add nothing (zero output projections), the
     * final norm keeps dimension 0 only, and only the begin-of-image row of the output reads it.
     */
    public static Path write(Path dir, boolean imageFirst) {
        return write(dir, imageFirst, 3);
    }

    /** As {@link #write(Path)}, for grey images: a one-channel pixel codec, so the model draws grey images. */
    public static Path writeGrey(Path dir) {
        return write(dir, false, 1);
    }

    private static Path write(Path dir, boolean imageFirst, int channels) {
        BpeTextPlugin text = new BpeTextPlugin();
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            corpus.add("a red circle and a blue square");
            corpus.add("what shape is it? a circle");
        }
        Tokenizer tokenizer = text.trainTokenizer(corpus, 280, ModelTrainer.SPECIALS);
        TransfusionConfig tiny = TransfusionConfig.preset("tiny");
        TransfusionConfig.SpecialTokens specials = new TransfusionConfig.SpecialTokens(id(tokenizer, "<bos>"),
                id(tokenizer, "<eos>"), id(tokenizer, "<boi>"), id(tokenizer, "<eoi>"), id(tokenizer, "<pad>"));
        // the pixel codec's latent is the image itself: 3 channels, or 1 for grey
        TransfusionConfig config = new TransfusionConfig(tokenizer.vocabSize(), tiny.dim(), tiny.layers(), tiny.heads(),
                tiny.ffnHidden(), channels, tiny.patch(), tiny.timeFreqDim(), tiny.ropeTheta(), tiny.normEps(),
                tiny.diffusionSteps(), tiny.ddpmWeight(), specials, tiny.patchCoder(), tiny.maxLength(),
                tiny.imageFirstShare(), tiny.imageFirstTMax(), tiny.conditionDropout(), null, tiny.spanAttention());
        Path codecDir = dir.resolve("codec");
        new PixelCodec(4, tiny.patch(), channels).save(codecDir);
        Path modelDir = dir.resolve("model");
        Map<String, float[]> weights = new ParameterLayout(config).initialValues(7);
        if (imageFirst) {
            int d = config.dim();
            float[] emb = weights.get("tok_embeddings.weight"), out = weights.get("output.weight");
            for (int v = 0; v < config.vocab(); v++) {
                emb[v * d] = 100;
            }
            for (int i = 0; i < config.layers(); i++) {
                Arrays.fill(weights.get("layers." + i + ".attention.wo.weight"), 0);
                Arrays.fill(weights.get("layers." + i + ".feed_forward.w2.weight"), 0);
            }
            float[] norm = weights.get("norm.weight");
            Arrays.fill(norm, 0);
            norm[0] = 1;
            Arrays.fill(out, 0);
            out[specials.boi() * d] = 10;
        }
        ModelDirectory.write(modelDir, config, weights, tokenizer, codecDir,
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
