package dev.transfusion.core.runtime;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.Trainer;
import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.TrainingOptions;
import dev.transfusion.api.TrainingExample;
import dev.transfusion.api.TrainingStep;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.DiscreteModalityPlugin;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.api.spi.Tokenizer;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.DocumentEncoder;
import dev.transfusion.core.data.EncodedDocument;
import dev.transfusion.core.io.AtomicDirectory;
import dev.transfusion.core.io.RunLock;
import dev.transfusion.core.model.ParameterLayout;
import dev.transfusion.core.plugin.DataSetRegistry;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.train.AdamW;
import dev.transfusion.core.train.Checkpoint;
import dev.transfusion.core.train.DocumentBatches;
import dev.transfusion.core.train.LearningRateSchedule;
import dev.transfusion.core.train.EncodedExample;
import dev.transfusion.core.train.TrainingLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Trainer} facade: reads the corpus, trains (or on resume reloads) the tokenizer, encodes every
 * example once through the plugins, then runs the {@link TrainingLoop} with checkpoints in
 * {@code OUT/checkpoint} and writes the finished model to {@code OUT/model}.
 */
public final class ModelTrainer implements Trainer {
    /** Special tokens every tokenizer trained here reserves, in id order. */
    public static final List<String> SPECIALS = List.of("<bos>", "<eos>", "<boi>", "<eoi>", "<pad>");

    /** Decay of the weight average the model is written with (the shapes calibration used 0.998). */
    static final double EMA_DECAY = 0.998;

    private final TrainingOptions o;
    private final ModalityRegistry registry;
    private final DataSetRegistry dataSets;

    /** A trainer for the given options over the plugins in {@code registry} and the named {@code dataSets}. */
    public ModelTrainer(TrainingOptions options, ModalityRegistry registry, DataSetRegistry dataSets) {
        this.o = options;
        this.registry = registry;
        this.dataSets = dataSets;
    }

    /** The checkpoint directory inside the output directory. */
    public static Path checkpointDir(Path out) {
        return out.resolve("checkpoint");
    }

    /** The model directory inside the output directory. */
    public static Path modelDir(Path out) {
        return out.resolve("model");
    }

    @Override
    public @Nullable TrainingStep train(TrainingListener listener, Cancellation cancellation) {
        try (RunLock lock = RunLock.acquire(o.outputDir(), "training run")) {
            refuseExistingRun(o);
            return trainLocked(listener, cancellation);
        }
    }

    /** A directory holding a run is continued ({@code resume}) or replaced ({@code overwrite}), never by mistake. */
    static void refuseExistingRun(TrainingOptions o) {
        Path out = o.outputDir();
        if (o.resume() || o.overwrite()) {
            return;
        }
        for (Path p : List.of(checkpointDir(out), modelDir(out))) {
            if (Files.exists(p)) {
                throw new InvalidInputException(out + " already holds a training run (" + p.getFileName()
                        + "/); continue it with --resume, replace it with --overwrite, or give another --out");
            }
        }
    }

    private @Nullable TrainingStep trainLocked(TrainingListener listener, Cancellation cancellation) {
        Path out = o.outputDir();
        List<TrainingExample> raw = TrainingCorpus.read(o.data(), o.seed(), dataSets);
        LatentCodec codec = null;
        ContinuousModalityPlugin image = null;
        if (TrainingCorpus.hasImages(raw)) {
            if (o.codecDir() == null) {
                throw new InvalidInputException("training data '" + o.data() + "' has images: give the image codec "
                        + "directory (--vae DIR, trained with train-vae)");
            }
            image = registry.continuous(ImagePart.MODALITY);   // the modality the data's image parts name
            codec = image.loadCodec(o.codecDir());
        }
        DiscreteModalityPlugin text = registry.discrete(TextPart.MODALITY);   // and its text parts (one of each: #14)
        Path tokDir = out.resolve("tokenizer");
        if (o.resume()) {
            AtomicDirectory.recover(checkpointDir(out));   // a run killed while it swapped checkpoints
        }
        boolean resuming = o.resume() && Files.exists(checkpointDir(out).resolve("manifest.json"));
        Tokenizer tokenizer;
        TransfusionConfig preset = TransfusionConfig.preset(o.preset());
        if (resuming && Files.isDirectory(tokDir)) {
            tokenizer = text.loadTokenizer(tokDir);
        } else {
            tokenizer = tokenizer(text, raw, preset, listener);
            AtomicDirectory.write(tokDir, tokenizer::save);
        }
        TransfusionConfig config = preset.withVocab(tokenizer.vocabSize()).withSpecialTokens(specials(tokenizer,
                o.tokenizerDir() != null ? o.tokenizerDir() : o.initFrom() != null ? o.initFrom() : tokDir));
        if (codec != null) {
            // the codec decides the latent layout; the preset decides the transformer
            config = config.withLatent(codec.latentChannels(), codec.geometry().patchSize());
        }
        List<EncodedExample> examples = encode(raw, config, tokenizer, codec);
        int latentSide = latentSide(examples);
        int imageSide = codec == null ? 0 : imageSide(codec, examples);
        if (codec != null && !resuming) {
            String note = ImageSizeNote.of(TrainingCorpus.images(raw), imageSide);
            if (note != null) {
                listener.onNote(note);
            }
        }

        Map<String, float[]> weights;
        Checkpoint resumed = null;
        if (resuming) {
            resumed = Checkpoint.read(checkpointDir(out));
            if (!resumed.config().equals(config)) {
                throw new InvalidInputException(checkpointDir(out) + " was trained with another configuration; "
                        + "start without --resume or use a new output directory");
            }
            weights = resumed.weights();
        } else if (o.initFrom() != null) {
            weights = InitialWeights.read(o.initFrom(), config, registry);
        } else {
            weights = new ParameterLayout(config).initialValues(o.seed());
        }
        TransfusionGraph graph = new TransfusionGraph(config, weights);
        TrainingLoop loop = new TrainingLoop(graph, new AdamW(AdamW.Settings.PAPER),
                new LearningRateSchedule(o.learningRate(), o.warmupSteps(), o.steps(), 0.1),
                new DocumentBatches(config, examples, o.batchSize(), o.seed()), o.seed()).withWeightAverage(EMA_DECAY)
                .withReplicas(o.replicas());
        if (resumed != null) {
            loop.restore(resumed);
        }
        TrainingStep last;
        try (TrainingLog log = TrainingLog.open(out, resumed == null ? 0 : resumed.state().step())) {
            last = loop.run(log.around(listener), cancellation, checkpointDir(out), o.checkpointEvery());
        } finally {
            loop.close();
        }
        if (loop.step() >= o.steps()) {
            ModelDirectory.write(modelDir(out), config, loop.checkpoint().inferenceWeights(), tokenizer, o.codecDir(),
                    new ModelDirectory.Metadata(text.modality(), text.version(),
                            image == null ? null : image.modality(), image == null ? null : image.version(), latentSide,
                            imageSide));
        }
        return last;
    }

    /**
     * The run's tokenizer: the one given, else the fine-tuned model's (its embeddings are indexed by its ids), else
     * one trained on the texts: of the size asked for, or of the preset's size capped at what the texts support.
     */
    private Tokenizer tokenizer(DiscreteModalityPlugin text, List<TrainingExample> raw, TransfusionConfig preset,
                                TrainingListener listener) {
        if (o.tokenizerDir() != null) {
            return text.loadTokenizer(o.tokenizerDir());
        }
        if (o.initFrom() != null) {
            return text.loadTokenizer(o.initFrom().resolve("tokenizer"));
        }
        List<String> texts = TrainingCorpus.texts(raw);
        if (o.vocabSize() != null) {
            return text.trainTokenizer(texts, o.vocabSize(), SPECIALS);
        }
        int wanted = Math.max(preset.vocab(), 256 + SPECIALS.size());
        Tokenizer t = text.trainTokenizerUpTo(texts, wanted, SPECIALS);
        if (t.vocabSize() < wanted) {
            listener.onNote("the texts of '" + o.data() + "' support a vocabulary of " + t.vocabSize() + " tokens, "
                    + "fewer than preset " + o.preset() + "'s " + wanted + ": training with " + t.vocabSize()
                    + " (more varied texts give more; vocabSize sets it)");
        }
        return t;
    }

    private static TransfusionConfig.SpecialTokens specials(Tokenizer t, Path source) {
        int[] ids = new int[SPECIALS.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = t.specialTokenId(SPECIALS.get(i));
            if (id == null) {
                throw new InvalidInputException("the tokenizer from " + source + " lacks the special token "
                        + SPECIALS.get(i) + "; expected one with all of " + SPECIALS + " (a transfusion model's "
                        + "tokenizer/ folder, or a tokenizer.json whose added tokens include them)");
            }
            ids[i] = id;
        }
        return new TransfusionConfig.SpecialTokens(ids[0], ids[1], ids[2], ids[3], ids[4]);
    }

    /** Every example through the tokenizer and the codec, once. */
    static List<EncodedExample> encode(List<TrainingExample> raw, TransfusionConfig c, Tokenizer tok,
                                        @Nullable LatentCodec codec) {
        DocumentEncoder docs = new DocumentEncoder(c, tok, codec);
        TransfusionConfig.SpecialTokens sp = c.specialTokens();
        List<EncodedExample> out = new ArrayList<>(raw.size());
        for (TrainingExample e : raw) {
            if (e instanceof TrainingExample.Pair p) {
                out.add(new EncodedExample.Pair(tok.encode(p.caption()), codec.encode(new ImagePart(p.image()))));
            } else if (e instanceof TrainingExample.QuestionAnswer qa) {
                int[] q = tok.encode(qa.question()), a = tok.encode(qa.answer());
                int[] tail = new int[q.length + a.length + 2];
                tail[0] = sp.eoi();
                System.arraycopy(q, 0, tail, 1, q.length);
                System.arraycopy(a, 0, tail, 1 + q.length, a.length);
                tail[tail.length - 1] = sp.eos();
                out.add(new EncodedExample.Doc(EncodedDocument.of(EncodedDocument.tokens(sp.bos(), sp.boi()),
                        EncodedDocument.image(codec.encode(new ImagePart(qa.image())), c.imageFirstTMax()),
                        EncodedDocument.tokens(tail))));
            } else {
                Document d = ((TrainingExample.Doc) e).document();
                out.add(new EncodedExample.Doc(docs.encode(d)));
            }
        }
        return out;
    }

    /** The side of the images the codec draws: one latent decoded (the data's own images may be any size). */
    private static int imageSide(LatentCodec codec, List<EncodedExample> examples) {
        for (EncodedExample e : examples) {
            if (e instanceof EncodedExample.Pair p) {
                return ((ImagePart) codec.decode(p.image())).image().width();
            }
            if (e instanceof EncodedExample.Doc d) {
                for (EncodedDocument.Segment s : d.document().segments()) {
                    if (s instanceof EncodedDocument.Image img) {
                        return ((ImagePart) codec.decode(img.latent())).image().width();
                    }
                }
            }
        }
        return 0;
    }

    private static int latentSide(List<EncodedExample> examples) {
        for (EncodedExample e : examples) {
            if (e instanceof EncodedExample.Pair p) {
                return p.image().height();
            }
            if (e instanceof EncodedExample.Doc d) {
                for (EncodedDocument.Segment s : d.document().segments()) {
                    if (s instanceof EncodedDocument.Image img) {
                        return img.latent().height();
                    }
                }
            }
        }
        return 0;
    }

    @Override
    public void close() {
    }
}
