package dev.transfusion.api;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What and how to train. Build with {@link #builder(String, Path)}.
 *
 * @param preset          a configuration preset name ({@code tiny}, {@code shapes}, ...)
 * @param data            a registered data set's name ({@code shapes}), a path to a folder or file, or several
 *                        of either separated by commas (their examples are mixed)
 * @param outputDir       where the model and checkpoints go
 * @param steps           optimizer steps, &ge; 1
 * @param batchSize       rows per step, &ge; 1
 * @param learningRate    peak learning rate, &gt; 0
 * @param warmupSteps     linear warm-up steps before cosine decay, &ge; 0
 * @param checkpointEvery steps between checkpoints, &ge; 1
 * @param seed            the random seed
 * @param resume          continue from the last checkpoint in {@code outputDir}
 * @param codecDir        the trained image codec (VAE) to use, or null for pixel patches
 * @param overwrite       replace a run already in {@code outputDir}; without it (or {@code resume}) such a
 *                        directory is refused, so that a finished run is never lost by mistake
 * @param replicas        data-parallel replicas, each on a thread of its own over a share of every batch's
 *                        rows (the same gradients as one, summed), &ge; 1
 * @param vocabSize       the text vocabulary to train, or null for the preset's, capped at what the texts support
 * @param tokenizerDir    an existing tokenizer to use instead of training one (a model's {@code tokenizer/}, or
 *                        any file or folder the text plugin reads), or null
 * @param initFrom        a model directory whose weights start the training (fine-tuning), or null for random
 *                        weights; its configuration must match the run's
 * @param codecDirs       the codec directory of each continuous modality by name ({@code "audio"} to a
 *                        directory written by its plugin's {@code trainCodec}); {@code codecDir} is the image's
 * @param documents       documents in memory, trained on with those {@code data} names (which may then be empty)
 * @param configOverrides a JSON object of configuration fields that replace the preset's, by the model config's
 *                        names ({@code {"patch_coder": "unet", "span_attention": "causal"}}), or null for none
 */
public record TrainingOptions(String preset, String data, Path outputDir, int steps, int batchSize,
                              double learningRate, int warmupSteps, int checkpointEvery, long seed,
                              boolean resume, @Nullable Path codecDir, boolean overwrite,
                              int replicas, @Nullable Integer vocabSize, @Nullable Path tokenizerDir,
                              @Nullable Path initFrom, java.util.Map<String, Path> codecDirs, java.util.List<Document> documents,
                              @Nullable String configOverrides) {

    public TrainingOptions {
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(outputDir, "outputDir");
        check(steps >= 1, "steps", ">= 1", steps);
        check(batchSize >= 1, "batchSize", ">= 1", batchSize);
        check(Double.isFinite(learningRate) && learningRate > 0, "learningRate", "> 0", learningRate);
        check(warmupSteps >= 0, "warmupSteps", ">= 0", warmupSteps);
        check(checkpointEvery >= 1, "checkpointEvery", ">= 1", checkpointEvery);
        check(!(resume && overwrite), "overwrite", "false when resume is set (one continues a run, the other "
                + "replaces it)", overwrite);
        check(replicas >= 1, "replicas", ">= 1", replicas);
        check(vocabSize == null || vocabSize >= 1, "vocabSize", ">= 1", vocabSize);
        check(vocabSize == null || tokenizerDir == null, "vocabSize", "unset with a tokenizerDir (the tokenizer "
                + "fixes the vocabulary)", vocabSize);
        codecDirs = java.util.Map.copyOf(codecDirs);
        documents = java.util.List.copyOf(documents);
        check(!data.isBlank() || !documents.isEmpty(), "data", "a data set name or path, or documents in memory",
                "\"" + data + "\"");
        check(codecDir == null || !codecDirs.containsKey(ImagePart.MODALITY), "codecDirs", "without \"image\" when "
                + "codecDir is set (it is the image's)", codecDirs.keySet());
    }

    /** The codec directory of {@code modality}, or null when none was given. */
    public @Nullable Path codecDir(String modality) {
        return modality.equals(ImagePart.MODALITY) && codecDir != null ? codecDir : codecDirs.get(modality);
    }

    private static void check(boolean ok, String field, String expected, Object got) {
        if (!ok) {
            throw new InvalidInputException("TrainingOptions." + field + " must be " + expected + ", got " + got);
        }
    }

    /** A builder with the defaults: 1000 steps, batch 8, lr 3e-4, 100 warm-up steps, checkpoint every 250. */
    public static Builder builder(String data, Path outputDir) {
        return new Builder(data, outputDir);
    }

    /** Builds {@link TrainingOptions}. */
    public static final class Builder {
        private String preset = "tiny";
        private final String data;
        private final Path outputDir;
        private int steps = 1000;
        private int batchSize = 8;
        private double learningRate = 3e-4;
        private int warmupSteps = 100;
        private int checkpointEvery = 250;
        private long seed = 0;
        private boolean resume;
        private @Nullable Path codecDir;
        private boolean overwrite;
        private int replicas = 1;
        private @Nullable Integer vocabSize;
        private @Nullable Path tokenizerDir;
        private @Nullable Path initFrom;
        private final java.util.Map<String, Path> codecDirs = new java.util.TreeMap<>();
        private java.util.List<Document> documents = java.util.List.of();
        private @Nullable String configOverrides;

        private Builder(String data, Path outputDir) {
            this.data = data;
            this.outputDir = outputDir;
        }

        /** The configuration preset. */
        public Builder preset(String v) {
            preset = v;
            return this;
        }

        /** Optimizer steps. */
        public Builder steps(int v) {
            steps = v;
            return this;
        }

        /** Rows per step. */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** Peak learning rate. */
        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        /** Warm-up steps. */
        public Builder warmupSteps(int v) {
            warmupSteps = v;
            return this;
        }

        /** Steps between checkpoints. */
        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        /** The random seed. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Continue from the last checkpoint. */
        public Builder resume(boolean v) {
            resume = v;
            return this;
        }

        /** Replace a run already in the output directory. */
        public Builder overwrite(boolean v) {
            overwrite = v;
            return this;
        }

        /** The image codec directory. */
        public Builder codecDir(@Nullable Path v) {
            codecDir = v;
            return this;
        }

        /** Data-parallel replicas (default 1). */
        public Builder replicas(int v) {
            replicas = v;
            return this;
        }

        /** The text vocabulary size; null for the preset's, capped at what the texts support. */
        public Builder vocabSize(@Nullable Integer v) {
            vocabSize = v;
            return this;
        }

        /** An existing tokenizer to use instead of training one. */
        public Builder tokenizerDir(@Nullable Path v) {
            tokenizerDir = v;
            return this;
        }

        /** A model directory whose weights start the training (fine-tuning). */
        public Builder initFrom(@Nullable Path v) {
            initFrom = v;
            return this;
        }

        /** The codec directory of a continuous modality ("image" is also {@link #codecDir}). */
        public Builder codecDir(String modality, Path dir) {
            codecDirs.put(Objects.requireNonNull(modality, "modality"), Objects.requireNonNull(dir, "dir"));
            return this;
        }

        /** Documents in memory to train on, with the data names given (if any). */
        public Builder documents(Iterable<Document> v) {
            java.util.List<Document> list = new java.util.ArrayList<>();
            v.forEach(list::add);
            documents = list;
            return this;
        }

        /** Configuration fields that replace the preset's, as a JSON object (an ablation's one change). */
        public Builder configOverrides(@Nullable String json) {
            configOverrides = json;
            return this;
        }

        /** The checked options. */
        public TrainingOptions build() {
            return new TrainingOptions(preset, data, outputDir, steps, batchSize, learningRate, warmupSteps,
                    checkpointEvery, seed, resume, codecDir, overwrite, replicas, vocabSize, tokenizerDir, initFrom,
                    codecDirs, documents, configOverrides);
        }
    }
}
