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
import dev.transfusion.core.ConfigOverrides;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.data.SequenceLayout;
import dev.transfusion.api.spi.Latent;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Trainer} facade: reads the corpus, trains (or on resume reloads) the tokenizer, encodes every
 * example once through the plugins, then runs the {@link TrainingLoop} with checkpoints in
 * {@code OUT/checkpoint} and writes the finished model to {@code OUT/model}.
 */
public final class ModelTrainer implements Trainer {
    /**
     * The special tokens of a model with images only, in id order: the fixed ones ({@link #FIXED_SPECIALS}) with
     * the image plugin's begin and end tokens before the pad (so bos 0, eos 1, boi 2, eoi 3, pad 4: the reference's).
     */
    public static final List<String> SPECIALS = List.of("<bos>", "<eos>", "<boi>", "<eoi>", "<pad>");

    /** The special tokens every model has, whatever its modalities: begin and end of a document, padding. */
    public static final List<String> FIXED_SPECIALS = List.of("<bos>", "<eos>", "<pad>");

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
        List<TrainingExample> raw = new ArrayList<>();
        if (!o.data().isBlank()) {
            raw.addAll(TrainingCorpus.read(o.data(), o.seed(), dataSets, registry));
        }
        o.documents().forEach(d -> raw.add(new TrainingExample.Doc(d)));
        // every continuous modality in the data gets its plugin's codec, tokens and patch coder
        List<String> names = TrainingCorpus.modalities(raw);
        Map<String, ContinuousModalityPlugin> plugins = new LinkedHashMap<>();
        Map<String, LatentCodec> codecs = new LinkedHashMap<>();
        for (String name : names) {
            ContinuousModalityPlugin plugin = continuousPlugin(name);
            Path dir = o.codecDir(name);
            if (dir == null) {
                throw new InvalidInputException("training data '" + describeData() + "' has " + name + " parts: give the "
                        + name + " codec directory (" + (name.equals(ImagePart.MODALITY) ? "--vae DIR, trained with "
                        + "train-vae" : "--codec " + name + "=DIR, written by train-codec --modality " + name) + ")");
            }
            plugins.put(name, plugin);
            codecs.put(name, plugin.loadCodec(dir));
        }
        DiscreteModalityPlugin text = registry.discrete(TextPart.MODALITY);
        Path tokDir = out.resolve("tokenizer");
        if (o.resume()) {
            AtomicDirectory.recover(checkpointDir(out));   // a run killed while it swapped checkpoints
        }
        boolean resuming = o.resume() && Files.exists(checkpointDir(out).resolve("manifest.json"));
        List<String> specials = specials(plugins);
        Tokenizer tokenizer;
        TransfusionConfig preset = TransfusionConfig.preset(o.preset());
        if (o.configOverrides() != null) {   // an ablation's change, or a user's own recipe
            preset = ConfigOverrides.apply(preset, o.configOverrides(), "TrainingOptions.configOverrides");
        }
        if (resuming && Files.isDirectory(tokDir)) {
            tokenizer = text.loadTokenizer(tokDir);
        } else {
            tokenizer = tokenizer(text, raw, preset, specials, listener);
            AtomicDirectory.write(tokDir, tokenizer::save);
        }
        Path tokenSource = o.tokenizerDir() != null ? o.tokenizerDir() : o.initFrom() != null ? o.initFrom() : tokDir;
        TransfusionConfig config = preset.withVocab(tokenizer.vocabSize())
                .withSpecialTokens(specialIds(tokenizer, tokenSource, plugins.containsKey(ImagePart.MODALITY)));
        // each codec decides its modality's latent layout; the preset decides the transformer
        List<ModalityConfig> modalities = new ArrayList<>();
        for (String name : names) {
            modalities.add(modalityConfig(name, plugins.get(name), codecs.get(name), tokenizer, tokenSource, preset, raw));
        }
        config = config.withModalities(modalities);
        List<EncodedExample> examples = encode(raw, config, tokenizer, codecs);
        config = withLatentSizes(config, codecs, examples);
        config = fitRows(config, examples, listener);
        LatentCodec imageCodec = codecs.get(ImagePart.MODALITY);
        int imageSide = imageCodec == null ? 0 : imageSide(imageCodec, examples);
        if (imageCodec != null && !resuming) {
            String note = ImageSizeNote.of(TrainingCorpus.images(raw), imageSide);
            if (note != null) {
                listener.onNote(note);
            }
        }

        Map<String, float[]> weights;
        Checkpoint resumed = null;
        if (resuming) {
            resumed = Checkpoint.read(checkpointDir(out));
            if (!architecture(resumed.config()).equals(architecture(config))) {
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
            Map<String, Path> codecDirs = new LinkedHashMap<>();
            Map<String, String> versions = new LinkedHashMap<>();
            for (String name : names) {
                codecDirs.put(name, o.codecDir(name));
                versions.put(name, plugins.get(name).version());
            }
            ModelDirectory.write(modelDir(out), config, loop.checkpoint().inferenceWeights(), tokenizer, codecDirs,
                    versions, text.modality(), text.version(), imageSide, dev.transfusion.core.model.WeightFormat.NPY);
        }
        codecs.values().forEach(LatentCodec::close);
        return last;
    }

    /**
     * The run's tokenizer: the one given, else the fine-tuned model's (its embeddings are indexed by its ids), else
     * one trained on the texts: of the size asked for, or of the preset's size capped at what the texts support.
     */
    private Tokenizer tokenizer(DiscreteModalityPlugin text, List<TrainingExample> raw, TransfusionConfig preset,
                                List<String> specials, TrainingListener listener) {
        if (o.tokenizerDir() != null) {
            // an imported vocabulary gets the tokens of the data's modalities it lacks, after its own ids
            return text.loadTokenizer(o.tokenizerDir()).withSpecialTokens(specials);
        }
        if (o.initFrom() != null) {
            return text.loadTokenizer(o.initFrom().resolve("tokenizer"));
        }
        List<String> texts = TrainingCorpus.texts(raw);
        if (o.vocabSize() != null) {
            return text.trainTokenizer(texts, o.vocabSize(), specials);
        }
        int wanted = Math.max(preset.vocab(), 256 + specials.size());
        Tokenizer t = text.trainTokenizerUpTo(texts, wanted, specials);
        if (t.vocabSize() < wanted) {
            listener.onNote("the texts of '" + o.data() + "' support a vocabulary of " + t.vocabSize() + " tokens, "
                    + "fewer than preset " + o.preset() + "'s " + wanted + ": training with " + t.vocabSize()
                    + " (more varied texts give more; vocabSize sets it)");
        }
        return t;
    }

    /**
     * The special tokens of a model with these continuous plugins, in id order: bos, eos, each plugin's begin
     * and end (images first), pad. With images only they are the reference's ({@link #SPECIALS}).
     */
    static List<String> specials(Map<String, ContinuousModalityPlugin> plugins) {
        List<String> out = new ArrayList<>(FIXED_SPECIALS.subList(0, 2));
        for (ContinuousModalityPlugin p : plugins.values()) {
            for (String token : List.of(p.beginToken(), p.endToken())) {
                if (out.contains(token) || FIXED_SPECIALS.contains(token)) {
                    throw new InvalidInputException("the '" + p.modality() + "' plugin's token " + token
                            + " is already another token's; each modality needs begin and end tokens of its own");
                }
                out.add(token);
            }
        }
        out.add(FIXED_SPECIALS.get(2));
        return out;
    }

    /** The ids of bos, eos, the image's begin/end (-1 without images) and pad in {@code t}. */
    private static TransfusionConfig.SpecialTokens specialIds(Tokenizer t, Path source, boolean images) {
        return new TransfusionConfig.SpecialTokens(id(t, "<bos>", source), id(t, "<eos>", source),
                images ? id(t, "<boi>", source) : -1, images ? id(t, "<eoi>", source) : -1, id(t, "<pad>", source));
    }

    private static int id(Tokenizer t, String token, Path source) {
        Integer id = t.specialTokenId(token);
        if (id == null) {
            throw new InvalidInputException("the tokenizer from " + source + " lacks the special token " + token
                    + "; expected one with " + FIXED_SPECIALS + " and every continuous modality's begin and end tokens "
                    + "(a transfusion model's tokenizer/ folder, or a tokenizer.json whose added tokens include them)");
        }
        return id;
    }

    /** Modality {@code name}'s section of the config: its codec's latent channels and patch, its plugin's tokens. */
    private static ModalityConfig modalityConfig(String name, ContinuousModalityPlugin plugin, LatentCodec codec,
                                                 Tokenizer t, Path source, TransfusionConfig preset,
                                                 List<TrainingExample> raw) {
        int[] shape = codec.latentShape();
        int channels = shape != null ? shape[0] : codec.latentChannels();
        int[] latent = shape != null ? shape : new int[] {channels, 0, 0};
        return new ModalityConfig(name, plugin.version(), latent,
                new int[] {codec.geometry().patchHeight(), codec.geometry().patchWidth()}, preset.patchCoder(),
                id(t, plugin.beginToken(), source), id(t, plugin.endToken(), source), preset.ddpmWeight(),
                range(codec.latentRange()));
    }

    /**
     * The preset's row length, or a longer one when an example does not fit it (an audio clip of 64 patches in the
     * shapes preset's 64 positions): the longest example's length rounded up to a multiple of 8, with a note.
     */
    private TransfusionConfig fitRows(TransfusionConfig c, List<EncodedExample> examples, TrainingListener listener) {
        int longest = DocumentBatches.longest(c, examples);
        if (longest <= c.maxLength()) {
            return c;
        }
        int length = (longest + 7) / 8 * 8;
        listener.onNote("the longest example takes " + longest + " positions, more than preset " + o.preset() + "'s rows of "
                + c.maxLength() + ": training with rows of " + length);
        return c.withMaxLength(length);
    }

    /**
     * What must match for a checkpoint to be resumed: everything but what a version-1 checkpoint did not record
     * (each modality's latent size, plugin version and latent range), so that runs from before #14 continue.
     */
    static TransfusionConfig architecture(TransfusionConfig c) {
        return c.withModalities(c.modalities().stream().map(m -> new ModalityConfig(m.name(), null,
                new int[] {m.channels(), 0, 0}, m.patch(), m.patchCoder(), m.beginToken(), m.endToken(), m.lossWeight(),
                null)).toList());
    }

    private static double @Nullable [] range(float @Nullable [] r) {
        return r == null ? null : new double[] {r[0], r[1]};
    }

    /** Each modality whose codec does not fix its latent size takes the size of its first encoded example's. */
    private static TransfusionConfig withLatentSizes(TransfusionConfig c, Map<String, LatentCodec> codecs,
                                                     List<EncodedExample> examples) {
        for (ModalityConfig m : c.modalities()) {
            if (m.hasLatentSize()) {
                continue;
            }
            Latent first = firstLatent(examples, m.name());
            if (first != null) {
                c = c.withLatentSize(m.name(), first.height(), first.width());
            }
        }
        return c;
    }

    /** Every example through the tokenizer and its modality's codec, once. */
    static List<EncodedExample> encode(List<TrainingExample> raw, TransfusionConfig c, Tokenizer tok,
                                       Map<String, LatentCodec> codecs) {
        SequenceLayout layout = new SequenceLayout(c);
        List<EncodedExample> out = new ArrayList<>(raw.size());
        Cancellation never = new Cancellation();
        for (TrainingExample e : raw) {
            if (e instanceof TrainingExample.Pair p) {
                String m = p.part().modality();
                out.add(new EncodedExample.Pair(tok.encode(p.caption()), m, codecs.get(m).encode(p.part())));
            } else if (e instanceof TrainingExample.QuestionAnswer qa) {
                String m = qa.part().modality();
                out.add(new EncodedExample.Doc(layout.question(m, codecs.get(m).encode(qa.part()),
                        tok.encode(qa.question()), tok.encode(qa.answer()))));
            } else {
                Document d = ((TrainingExample.Doc) e).document();
                out.add(new EncodedExample.Doc(layout.document(d, tok, codecs, true, never)));
            }
        }
        return out;
    }

    private ContinuousModalityPlugin continuousPlugin(String name) {
        if (!registry.modalities().contains(name)) {
            throw new InvalidInputException("training data '" + describeData() + "' has parts of the modality '" + name
                    + "', which no registered plugin handles (registered: " + new java.util.TreeSet<>(registry.modalities())
                    + "); put its plugin jar on the class path or in --plugins DIR");
        }
        return registry.continuous(name);
    }

    private String describeData() {
        return o.data().isBlank() ? o.documents().size() + " documents in memory" : o.data();
    }

    private static @Nullable Latent firstLatent(List<EncodedExample> examples, String modality) {
        for (EncodedExample e : examples) {
            if (e instanceof EncodedExample.Pair p && p.modality().equals(modality)) {
                return p.latent();
            }
            if (e instanceof EncodedExample.Doc d) {
                for (EncodedDocument.Segment s : d.document().segments()) {
                    if (s instanceof EncodedDocument.Image img && img.modality().equals(modality)) {
                        return img.latent();
                    }
                }
            }
        }
        return null;
    }

    /** The side of the images the codec draws: one latent decoded (the data's own images may be any size). */
    private static int imageSide(LatentCodec codec, List<EncodedExample> examples) {
        Latent first = firstLatent(examples, ImagePart.MODALITY);
        return first == null ? 0 : ((ImagePart) codec.decode(first)).image().width();
    }

    @Override
    public void close() {
    }
}
