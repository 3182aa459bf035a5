package dev.transfusion.samples.bench;

import dev.transfusion.api.spi.Latent;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.EncodedDocument;
import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.data.SequencePacker;
import dev.transfusion.core.model.ParameterLayout;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.train.AdamW;
import dev.transfusion.core.train.LearningRateSchedule;
import dev.transfusion.core.train.TrainingLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The reference's training-step benchmark ({@code transfusion_ref.py bench}): the {@code bench} config
 * (or another), by default 8 rows of 256 positions, each row packing {@code length / 82} documents
 * {@code [BOS, 15 caption tokens, BOI, 64 patches of a 16x16x4 latent, EOI]} (three at 256), AdamW (lr
 * 3e-4, betas 0.9/0.95, wd 0.1) with clipping at 1.0.
 *
 * @param medianStepMs the median step time after warm-up
 * @param maxStepMs    the slowest measured step (spread = max / median)
 * @param tokensPerS   positions per second at the median
 * @param peakRssMb    the process's peak resident memory
 * @param parameters   trainable parameters
 * @param positions    positions a step (rows x length)
 * @param replicas     data-parallel replicas
 */
public record TrainBench(double medianStepMs, double maxStepMs, double tokensPerS, long peakRssMb, long parameters,
                         int positions, int replicas) {

    /** The reference's bench batch (same layout; random numbers from our generator). */
    public static PackedBatch batch(TransfusionConfig c, int rows, int length, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        SequencePacker packer = new SequencePacker(c);
        TransfusionConfig.SpecialTokens sp = c.specialTokens();
        List<PackedBatch> packed = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<EncodedDocument> docs = new ArrayList<>();
            for (int d = 0; d < Math.max(1, length / 82); d++) {
                int[] head = new int[17];
                head[0] = sp.bos();
                for (int i = 1; i <= 15; i++) {
                    head[i] = 5 + rng.nextInt(c.vocab() - 5);
                }
                head[16] = sp.boi();
                float[] lat = new float[c.latentChannels() * 16 * 16];
                for (int i = 0; i < lat.length; i++) {
                    lat[i] = (float) rng.nextGaussian();
                }
                docs.add(EncodedDocument.of(EncodedDocument.tokens(head),
                        EncodedDocument.image(new Latent(c.latentChannels(), 16, 16, lat)),
                        EncodedDocument.tokens(sp.eoi())));
            }
            packed.add(packer.packRow(docs, length, rng));
        }
        return SequencePacker.stack(packed);
    }

    /**
     * Runs {@code warmup + steps} training steps of {@code config} on the bench batch of {@code rows} x
     * {@code length} positions, on {@code replicas} data-parallel replicas.
     */
    public static TrainBench run(TransfusionConfig config, int steps, int warmup, int rows, int length, int replicas) {
        if (steps < 1 || warmup < 0 || rows < 1 || length < 82 || replicas < 1) {
            throw new IllegalArgumentException("bench needs steps >= 1, warmup >= 0, rows >= 1, length >= 82 (one "
                    + "document) and replicas >= 1; got " + steps + ", " + warmup + ", " + rows + ", " + length + ", " + replicas);
        }
        PackedBatch b = batch(config.withMaxLength(Math.max(config.maxLength(), length)), rows, length, 3);
        TransfusionGraph graph = new TransfusionGraph(config, new ParameterLayout(config).initialValues(0));
        TrainingLoop loop = new TrainingLoop(graph, new AdamW(AdamW.Settings.PAPER),
                new LearningRateSchedule(3e-4, 0, warmup + steps, 1.0), s -> b, 0).withReplicas(replicas);
        double[] ms = new double[steps];
        for (int s = 0; s < warmup + steps; s++) {
            var step = loop.step(st -> { });
            if (s >= warmup) {
                ms[s - warmup] = step.millis();
            }
        }
        loop.close();
        Arrays.sort(ms);
        double median = ms[steps / 2];
        return new TrainBench(median, ms[steps - 1], b.positionsCount() / (median / 1000), PeakMemory.residentMb(),
                new ParameterLayout(config).count(), b.positionsCount(), replicas);
    }

    /** The figures in the reference's words. */
    public String report() {
        return String.format("params %d tokens/step %d replicas %d%npeak_rss_mb %d%nmedian_step_ms %.1f tokens_per_s %.0f%n"
                + "max_step_ms %.1f spread %.2f", parameters, positions, replicas, peakRssMb, medianStepMs, tokensPerS,
                maxStepMs, maxStepMs / medianStepMs);
    }
}
