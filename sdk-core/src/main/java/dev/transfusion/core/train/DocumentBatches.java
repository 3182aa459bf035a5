package dev.transfusion.core.train;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.EncodedDocument;
import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.data.PairBuilder;
import dev.transfusion.core.data.SequencePacker;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training batches drawn from encoded examples: each row is filled with randomly drawn documents until
 * the next one would not fit, pairs get a layout from {@link PairBuilder} (caption-first, image-first with
 * light noise, or caption dropped), and the {@link SequencePacker} lays the rows out. Every random choice
 * comes from a generator seeded by (seed, step), so a batch is a pure function of its step.
 */
public final class DocumentBatches implements BatchSource {
    private final TransfusionConfig config;
    private final List<EncodedExample> examples;
    private final int rows;
    private final long seed;
    private final PairBuilder pairs;
    private final SequencePacker packer;

    /** Batches of {@code rows} rows of {@code config.maxLength()} positions. */
    public DocumentBatches(TransfusionConfig config, List<EncodedExample> examples, int rows, long seed) {
        if (examples.isEmpty()) {
            throw new InvalidInputException("no training examples");
        }
        this.config = config;
        this.examples = List.copyOf(examples);
        this.rows = rows;
        this.seed = seed;
        this.pairs = new PairBuilder(config);
        this.packer = new SequencePacker(config);
        for (int i = 0; i < Math.min(examples.size(), 64); i++) {
            int len = length(packer, pairs, examples.get(i));
            if (len > config.maxLength()) {
                throw new InvalidInputException("training example " + i + " takes " + len
                        + " positions, more than a row of " + config.maxLength() + " (max_length)");
            }
        }
    }

    /** Positions the longest of {@code examples} takes in a model of configuration {@code config}. */
    public static int longest(TransfusionConfig config, List<EncodedExample> examples) {
        SequencePacker packer = new SequencePacker(config);
        PairBuilder pairs = new PairBuilder(config);
        int n = 0;
        for (EncodedExample e : examples) {
            n = Math.max(n, length(packer, pairs, e));
        }
        return n;
    }

    /** An example's positions: a pair's caption-first layout is its longest (span-first ties it). */
    private static int length(SequencePacker packer, PairBuilder pairs, EncodedExample e) {
        return packer.length(document(pairs, e, PairBuilder.Layout.CAPTION_FIRST));
    }

    private EncodedDocument document(EncodedExample e, PairBuilder.Layout layout) {
        return document(pairs, e, layout);
    }

    private static EncodedDocument document(PairBuilder pairs, EncodedExample e, PairBuilder.Layout layout) {
        if (e instanceof EncodedExample.Pair p) {
            return pairs.build(p.caption(), p.modality(), p.latent(), layout);
        }
        return ((EncodedExample.Doc) e).document();
    }

    @Override
    public PackedBatch batch(long step) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        List<PackedBatch> packed = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<EncodedDocument> docs = new ArrayList<>();
            int used = 0;
            for (int attempt = 0; ; attempt++) {
                if (attempt > 10_000) {
                    throw new InvalidInputException("no training example fits a row of " + config.maxLength()
                            + " positions (max_length)");
                }
                EncodedExample e = examples.get(rng.nextInt(examples.size()));
                EncodedDocument doc = document(e, pairs.draw(rng));
                int len = packer.length(doc);
                if (used + len > config.maxLength()) {
                    if (docs.isEmpty()) {
                        continue;   // too long for any row; checked for the first examples at construction
                    }
                    break;
                }
                docs.add(doc);
                used += len;
            }
            packed.add(packer.packRow(docs, config.maxLength(), rng));
        }
        return SequencePacker.stack(packed);
    }
}
