package dev.transfusion.core.runtime;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.ImageScore;
import dev.transfusion.api.Mode;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.TextScore;
import dev.transfusion.api.TransfusionException;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.generate.Generator;
import dev.transfusion.core.generate.Scorer;
import dev.transfusion.core.model.TransfusionGraph;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A loaded model behind the API: the graph, the tokenizer and the image codec, with the generation loop
 * on top. Calls are serialised: one graph runs one pass at a time.
 */
public final class LoadedModel implements TransfusionModel {
    private final String name;
    private final ModelDirectory.Contents contents;
    private final Generator generator;
    private final Scorer scorer;
    private volatile boolean closed;

    private LoadedModel(String name, ModelDirectory.Contents contents) {
        this.name = name;
        this.contents = contents;
        // no training forward, loss or gradient graph: a loaded model only generates and scores
        TransfusionGraph graph = TransfusionGraph.forInference(contents.config(), contents.weights());
        this.generator = new Generator(graph, contents.tokenizer(), contents.codec(), contents.metadata().latentSide());
        this.scorer = new Scorer(graph, contents.tokenizer(), contents.codec(),
                contents.metadata().latentSide());
    }

    /** Loads a model directory. */
    public static LoadedModel load(Path dir, ModalityRegistry registry) {
        return new LoadedModel(dir.getFileName().toString(), ModelDirectory.read(dir, registry));
    }

    @Override
    public synchronized GenerationResult generate(Document prompt, GenerationOptions options,
                                                  GenerationListener listener, Cancellation cancellation) {
        ensureOpen();
        return generator.generate(prompt, options, listener, cancellation);
    }

    @Override
    public String caption(RgbImage image, GenerationOptions options) {
        // The image-first layout the model was trained on: [BOS, BOI] image [EOI] caption [EOS]
        return generate(Document.of(new ImagePart(image)), options.toBuilder().mode(Mode.TEXT).build()).text().trim();
    }

    @Override
    public String answer(RgbImage image, String question, GenerationOptions options) {
        return generate(Document.of(new ImagePart(image), new TextPart(question)),
                options.toBuilder().mode(Mode.TEXT).build()).text().trim();
    }

    @Override
    public TextScore scoreText(Document context, String text) {
        return scoreText(context, text, new Cancellation());
    }

    @Override
    public synchronized TextScore scoreText(Document context, String text, Cancellation cancellation) {
        ensureOpen();
        return scorer.text(context, text, cancellation);
    }

    @Override
    public ImageScore scoreImage(String caption, RgbImage image, int[] timesteps, long seed) {
        return scoreImage(caption, image, timesteps, seed, new Cancellation());
    }

    @Override
    public synchronized ImageScore scoreImage(String caption, RgbImage image, int[] timesteps, long seed,
                                              Cancellation cancellation) {
        ensureOpen();
        return scorer.image(caption, image, timesteps, seed, cancellation);
    }

    @Override
    public ModelInfo info() {
        TransfusionConfig c = contents.config();
        Map<String, String> modalities = new LinkedHashMap<>();
        ModelDirectory.Metadata m = contents.metadata();
        modalities.put(m.textModality(), m.textVersion());
        if (m.imageModality() != null) {
            modalities.put(m.imageModality(), String.valueOf(m.imageVersion()));
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("dim", String.valueOf(c.dim()));
        config.put("layers", String.valueOf(c.layers()));
        config.put("heads", String.valueOf(c.heads()));
        config.put("ffn_hidden", String.valueOf(c.ffnHidden()));
        config.put("latent_channels", String.valueOf(c.latentChannels()));
        config.put("patch", String.valueOf(c.patch()));
        config.put("patch_coder", c.patchCoder());
        config.put("latent_side", String.valueOf(m.latentSide()));
        config.put("image_size", String.valueOf(m.imageSize()));
        config.put("max_length", String.valueOf(c.maxLength()));
        config.put("diffusion_steps", String.valueOf(c.diffusionSteps()));
        return new ModelInfo(name, c.parameterCount(), c.vocab(), modalities, config);
    }

    /** The loaded parts (for evaluation and scoring code in the SDK). */
    public ModelDirectory.Contents contents() {
        return contents;
    }

    private void ensureOpen() {
        if (closed) {
            throw new TransfusionException("model " + name + " is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        if (contents.codec() != null) {
            contents.codec().close();
        }
    }
}
