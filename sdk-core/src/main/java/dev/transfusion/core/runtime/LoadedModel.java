package dev.transfusion.core.runtime;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.Part;
import dev.transfusion.api.ImageScore;
import dev.transfusion.api.Mode;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.TextScore;
import dev.transfusion.api.TransfusionException;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.generate.BatchScheduler;
import dev.transfusion.core.generate.Generator;
import dev.transfusion.core.generate.Scorer;
import dev.transfusion.core.model.TransfusionGraph;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import java.util.Map;

/**
 * A loaded model behind the API: the graph, the tokenizer and the image codec, with the generation loop
 * on top. Generations run at the same time with their forward steps batched ({@link BatchScheduler}: up to
 * {@code -Dtransfusion.maxBatch} steps a pass, 16 by default; 1 turns batching off) when the model's coders
 * are linear; otherwise, and for scoring, calls are serialised: one graph runs one pass at a time.
 */
public final class LoadedModel implements TransfusionModel {
    private static final int MAX_BATCH = Integer.getInteger("transfusion.maxBatch", BatchScheduler.DEFAULT_MAX_BATCH);

    private final String name;
    private final ModelDirectory.Contents contents;
    private final Generator generator;
    private final @Nullable BatchScheduler batch;   // null: generations take turns on the plain generator
    private final @Nullable BatchGeneration batchThreads;   // generateAll's threads
    private final Scorer scorer;
    private volatile boolean closed;

    private LoadedModel(String name, ModelDirectory.Contents contents) {
        this.name = name;
        this.contents = contents;
        // no training forward, loss or gradient graph: a loaded model only generates and scores
        TransfusionGraph graph = TransfusionGraph.forInference(contents.config(), contents.weights());
        // the config read from the directory records every modality's latent size (version 1's from model.json)
        this.batch = MAX_BATCH > 1 && BatchScheduler.supports(graph.config()) ? new BatchScheduler(graph, MAX_BATCH) : null;
        this.batchThreads = batch != null ? new BatchGeneration(batch.maxBatch()) : null;
        this.generator = batch != null ? new Generator(batch, contents.tokenizer(), contents.codecs())
                : new Generator(graph, contents.tokenizer(), contents.codecs());
        this.scorer = new Scorer(graph, contents.tokenizer(), contents.codecs());
    }

    /** Loads a model directory. */
    public static LoadedModel load(Path dir, ModalityRegistry registry) {
        return new LoadedModel(dir.getFileName().toString(), ModelDirectory.read(dir, registry));
    }

    @Override
    public GenerationResult generate(Document prompt, GenerationOptions options, GenerationListener listener,
                                     Cancellation cancellation) {
        ensureOpen();
        if (batch != null) {
            return batch.session(() -> generator.generate(prompt, options, listener, cancellation));
        }
        synchronized (this) {
            return generator.generate(prompt, options, listener, cancellation);
        }
    }

    /** Every prompt at once, their steps batched (see {@link BatchGeneration}); in prompt order. */
    @Override
    public List<GenerationResult> generateAll(List<Document> prompts, GenerationOptions options) {
        ensureOpen();
        return batch == null ? TransfusionModel.super.generateAll(prompts, options)
                : prompts.isEmpty() ? List.of()
                : batchThreads.run(prompts.size(), i -> generate(prompts.get(i), GenerationOptions.forPrompt(options, i)));
    }

    @Override
    public boolean observeForwardPasses(IntConsumer rows) {
        if (batch == null) {
            return false;
        }
        batch.onPass(rows);
        return true;
    }

    @Override
    public String caption(RgbImage image, GenerationOptions options) {
        return caption(new ImagePart(image), options, new Cancellation());
    }

    @Override
    public String answer(RgbImage image, String question, GenerationOptions options) {
        return answer(new ImagePart(image), question, options, new Cancellation());
    }

    @Override
    public String caption(Part part, GenerationOptions options, Cancellation cancellation) {
        // The span-first layout the model was trained on: [BOS, begin] span [end] caption [EOS]
        return generate(Document.of(part), options.toBuilder().mode(Mode.TEXT).build(), GenerationListener.NONE,
                cancellation).text().trim();
    }

    @Override
    public String answer(Part part, String question, GenerationOptions options, Cancellation cancellation) {
        return generate(Document.of(part, new TextPart(question)), options.toBuilder().mode(Mode.TEXT).build(),
                GenerationListener.NONE, cancellation).text().trim();
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
        for (ModelDirectory.ModalityEntry e : m.entries()) {
            modalities.put(e.name(), e.version());
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("dim", String.valueOf(c.dim()));
        config.put("layers", String.valueOf(c.layers()));
        config.put("heads", String.valueOf(c.heads()));
        config.put("ffn_hidden", String.valueOf(c.ffnHidden()));
        if (c.hasModality(ImagePart.MODALITY)) {   // the image's, under the names clients read since version 1
            ModalityConfig im = c.modality(ImagePart.MODALITY);
            config.put("latent_channels", String.valueOf(im.channels()));
            config.put("patch", String.valueOf(im.patch()[0]));
            config.put("patch_coder", im.patchCoder());
        }
        config.put("latent_side", String.valueOf(m.latentSide()));
        config.put("image_size", String.valueOf(m.imageSize()));
        for (ModalityConfig mc : c.modalities()) {   // every modality's shape: "audio.latent" = "1x32x64"
            int[] l = mc.latent();
            config.put(mc.name() + ".latent", l[0] + "x" + l[1] + "x" + l[2]);
            config.put(mc.name() + ".patch", mc.patch()[0] + "x" + mc.patch()[1]);
        }
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
        if (batch != null) {
            batchThreads.close();
            batch.close();
        }
        contents.closeCodecs();
    }
}
