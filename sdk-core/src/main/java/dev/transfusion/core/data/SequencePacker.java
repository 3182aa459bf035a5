package dev.transfusion.core.data;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.diffusion.NoiseSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Lays {@link EncodedDocument}s out into fixed-length rows, exactly as the reference's {@code pack} and
 * {@code stack_rows}:
 * <ul>
 *   <li>tokens are PAD where nothing is packed and at image positions; targets are
 *       {@link PackedBatch#IGNORE} unless set below;</li>
 *   <li>an image is patchified (row-major over the grid, each patch as (c, py, px)), gets a step t drawn
 *       uniformly in [0, tMax) (or its own limit or fixed t), noise eps ~ N(0, 1) (or its fixed noise),
 *       and {@code x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps} at its positions; its positions are
 *       marked is_image, carry t, and share an image id (0, 1, .. in the row; batch-unique after
 *       {@link #stack});</li>
 *   <li>positions restart at 0 in each document;</li>
 *   <li>attention: causal within a document, bidirectional among the patches of one image (unless the config's
 *       {@code span_attention} is causal), never across
 *       documents; every position attends to itself, so padding attends to itself only;</li>
 *   <li>next-token targets: position i predicts token i+1 of the same document when neither i nor i+1 is
 *       an image position and token i is not BOI (no loss at BOI, at patches, at a document's last
 *       position, at padding).</li>
 * </ul>
 * Random numbers are drawn per image in order: t (unless fixed), then the noise [N, P] row-major (unless
 * fixed). The same documents and generator state give the same rows. Thread-safe (stateless).
 */
public final class SequencePacker {
    private final TransfusionConfig config;
    private final NoiseSchedule schedule;
    private final int patchDim;

    /** A packer with the cosine schedule of {@code config.diffusionSteps()} steps. */
    public SequencePacker(TransfusionConfig config) {
        this(config, NoiseSchedule.cosine(config.diffusionSteps()));
    }

    /** A packer with the given schedule (its T must be the config's). */
    public SequencePacker(TransfusionConfig config, NoiseSchedule schedule) {
        if (schedule.steps() != config.diffusionSteps()) {
            throw new InvalidInputException("schedule has " + schedule.steps() + " steps, the config "
                    + config.diffusionSteps());
        }
        this.config = config;
        this.schedule = schedule;
        this.patchDim = config.patchDim();
    }

    /** The schedule images are noised with. */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** Positions a document occupies. */
    public int length(EncodedDocument doc) {
        return doc.length(config);
    }

    /** {@link #packRow(List, int, RandomGenerator, int)} with t drawn over the whole schedule. */
    public PackedBatch packRow(List<EncodedDocument> docs, int length, RandomGenerator rng) {
        return packRow(docs, length, rng, schedule.steps());
    }

    /**
     * Packs documents, in order, into one row of {@code length} positions: a {@link PackedBatch} of one
     * row whose image ids start at 0.
     *
     * @param tMax images without their own limit or fixed t get t uniform in [0, tMax), 1 &lt;= tMax &lt;= T
     * @throws InvalidInputException when the documents do not fit, naming the first that overflows
     */
    public PackedBatch packRow(List<EncodedDocument> docs, int length, RandomGenerator rng, int tMax) {
        checkLimit(tMax, "tMax");
        if (length < 1) {
            throw new InvalidInputException("a row needs at least 1 position, got " + length);
        }
        int p = patchDim;
        int[] tokens = new int[length];               // [T]
        int[] targets = new int[length];              // [T]
        boolean[] isImage = new boolean[length];      // [T]
        float[] patches = new float[length * p];      // [T, P]
        float[] noise = new float[length * p];        // [T, P]
        int[] timesteps = new int[length];            // [T]
        int[] positions = new int[length];            // [T]
        int[] imageId = new int[length];              // [T]
        int[] modality = new int[length];             // [T]
        boolean[] allowed = new boolean[length * length];   // [T, T]
        Arrays.fill(tokens, config.specialTokens().pad());
        Arrays.fill(targets, PackedBatch.IGNORE);
        Arrays.fill(imageId, -1);
        Arrays.fill(modality, -1);
        int at = 0, images = 0;
        for (int d = 0; d < docs.size(); d++) {
            EncodedDocument doc = docs.get(d);
            int start = at, need = length(doc);
            if (start + need > length) {
                throw new InvalidInputException("document " + d + " needs " + need + " positions but only "
                        + (length - start) + " of the row's " + length + " are left");
            }
            for (EncodedDocument.Segment s : doc.segments()) {
                if (s instanceof EncodedDocument.Tokens run) {
                    for (int k = 0; k < run.length(config); k++) {
                        tokens[at++] = checkToken(run.id(k), d);
                    }
                } else if (s instanceof EncodedDocument.Image img) {
                    int kind = modalityOf(img, d);
                    ModalityConfig m = config.modalities().get(kind);
                    int n = img.length(config), pm = m.patchDim();
                    float[] x0 = flatPatches(m, img.latent(), d);                    // [N, P_m]
                    int limit = img.tLimit() > 0 ? checkLimit(img.tLimit(), "image t limit") : tMax;
                    int t = img.t() >= 0 ? img.t() : rng.nextInt(limit);
                    if (t >= schedule.steps()) {
                        throw new InvalidInputException("document " + d + ": image step t " + t + " outside 0.."
                                + (schedule.steps() - 1));
                    }
                    float[] eps = img.noise() != null ? img.noise() : gaussian(n * pm, rng);  // [N, P_m]
                    if (eps.length != n * pm) {
                        throw new InvalidInputException("document " + d + ": fixed noise has " + eps.length
                                + " values, the span's " + n + " patches need " + (n * pm));
                    }
                    float[] xt = schedule.addNoise(x0, eps, t);                       // [N, P_m]
                    for (int i = 0; i < n; i++) {                                     // each in the first P_m of P columns
                        System.arraycopy(xt, i * pm, patches, (at + i) * p, pm);
                        System.arraycopy(eps, i * pm, noise, (at + i) * p, pm);
                    }
                    for (int i = at; i < at + n; i++) {
                        isImage[i] = true;
                        modality[i] = kind;
                        timesteps[i] = t;
                        imageId[i] = images;
                        if (config.bidirectionalSpans()) {   // else the causal rule below covers the image too
                            for (int j = at; j < at + n; j++) {
                                allowed[i * length + j] = true;   // bidirectional inside the image
                            }
                        }
                    }
                    images++;
                    at += n;
                }
            }
            int end = at;
            for (int i = start; i < end; i++) {
                positions[i] = i - start;
                for (int j = start; j <= i; j++) {
                    allowed[i * length + j] = true;           // causal within the document
                }
            }
            for (int i = start; i < end - 1; i++) {
                if (!isImage[i] && !isImage[i + 1] && config.modalityOpenedBy(tokens[i]) < 0) {
                    targets[i] = tokens[i + 1];
                }
            }
        }
        for (int i = 0; i < length; i++) {
            allowed[i * length + i] = true;                   // padding attends to itself only
        }
        return new PackedBatch(1, length, p, tokens, targets, isImage, patches, noise, timesteps, positions,
                imageId, allowed, modality);
    }

    /**
     * Groups documents greedily, in order, into rows of {@code length} positions: a row takes whole
     * documents until the next one does not fit, which opens the next row.
     *
     * @return the documents of each row
     * @throws InvalidInputException when a document is longer than a row, naming its index and length
     */
    public List<List<EncodedDocument>> planRows(List<EncodedDocument> docs, int length) {
        List<List<EncodedDocument>> rows = new ArrayList<>();
        List<EncodedDocument> row = new ArrayList<>();
        int used = 0;
        for (int d = 0; d < docs.size(); d++) {
            int need = length(docs.get(d));
            if (need > length) {
                throw new InvalidInputException("document " + d + " needs " + need
                        + " positions, more than a row of " + length);
            }
            if (used + need > length) {
                rows.add(row);
                row = new ArrayList<>();
                used = 0;
            }
            row.add(docs.get(d));
            used += need;
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        return rows;
    }

    /**
     * Packs documents greedily ({@link #planRows}) into rows of {@code length} positions and stacks them
     * {@code batch} rows at a time; the last batch holds the rows left over (fewer than {@code batch}).
     */
    public List<PackedBatch> pack(List<EncodedDocument> docs, int batch, int length, RandomGenerator rng) {
        if (batch < 1) {
            throw new InvalidInputException("batch size must be >= 1, got " + batch);
        }
        List<PackedBatch> out = new ArrayList<>(), rows = new ArrayList<>();
        for (List<EncodedDocument> r : planRows(docs, length)) {
            rows.add(packRow(r, length, rng));
            if (rows.size() == batch) {
                out.add(stack(rows));
                rows.clear();
            }
        }
        if (!rows.isEmpty()) {
            out.add(stack(rows));
        }
        return out;
    }

    /**
     * Stacks rows (or batches) into one batch, as the reference's {@code stack_rows}: the image ids of
     * each row are shifted so that they are unique across the batch (row 0 keeps 0..n0-1, row 1 gets
     * n0.., and so on).
     */
    public static PackedBatch stack(List<PackedBatch> rows) {
        if (rows.isEmpty()) {
            throw new InvalidInputException("cannot stack zero rows");
        }
        int len = rows.get(0).length(), p = rows.get(0).patchDim(), b = 0;
        for (PackedBatch r : rows) {
            if (r.length() != len || r.patchDim() != p) {
                throw new InvalidInputException("cannot stack rows of " + r.length() + " positions x " + r.patchDim()
                        + " with rows of " + len + " x " + p);
            }
            b += r.batch();
        }
        int n = b * len;
        int[] tokens = new int[n], targets = new int[n], timesteps = new int[n], positions = new int[n];
        int[] imageId = new int[n], modality = new int[n];
        boolean[] isImage = new boolean[n], allowed = new boolean[n * len];
        float[] patches = new float[n * p], noise = new float[n * p];
        int row = 0, offset = 0;
        for (PackedBatch r : rows) {
            int m = r.batch() * len;
            int o = row * len;
            System.arraycopy(r.rows().tokens(), 0, tokens, o, m);
            System.arraycopy(r.targets(), 0, targets, o, m);
            System.arraycopy(r.rows().timesteps(), 0, timesteps, o, m);
            System.arraycopy(r.rows().positions(), 0, positions, o, m);
            System.arraycopy(r.rows().isImage(), 0, isImage, o, m);
            System.arraycopy(r.rows().modality(), 0, modality, o, m);
            System.arraycopy(r.rows().allowed(), 0, allowed, o * len, m * len);
            System.arraycopy(r.rows().patches(), 0, patches, o * p, m * p);
            System.arraycopy(r.noise(), 0, noise, o * p, m * p);
            for (int k = 0; k < r.batch(); k++) {
                int min = Integer.MAX_VALUE, max = -1;
                for (int i = k * len; i < (k + 1) * len; i++) {
                    int id = r.imageId()[i];
                    if (id >= 0) {
                        min = Math.min(min, id);
                        max = Math.max(max, id);
                    }
                }
                for (int i = k * len; i < (k + 1) * len; i++) {
                    int id = r.imageId()[i];
                    imageId[o + i] = id >= 0 ? id - min + offset : -1;
                }
                offset += max >= 0 ? max - min + 1 : 0;
            }
            row += r.batch();
        }
        return new PackedBatch(b, len, p, tokens, targets, isImage, patches, noise, timesteps, positions, imageId,
                allowed, modality);
    }

    private int modalityOf(EncodedDocument.Image span, int doc) {
        try {
            return config.modalityIndex(span.modality());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("document " + doc + ": " + e.getMessage(), e);
        }
    }

    private static float[] flatPatches(ModalityConfig m, Latent latent, int doc) {
        if (latent.channels() != m.channels()) {
            throw new InvalidInputException("document " + doc + ": " + latent + " has " + latent.channels()
                    + " channels, the model's '" + m.name() + "' modality " + m.channels());
        }
        float[][] rows = m.geometry().patchify(latent);     // [N][P_m]
        int pm = m.patchDim();
        float[] flat = new float[rows.length * pm];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * pm, pm);
        }
        return flat;
    }

    private static float[] gaussian(int n, RandomGenerator rng) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) rng.nextGaussian();
        }
        return out;
    }

    private int checkToken(int id, int doc) {
        if (id < 0 || id >= config.vocab()) {
            throw new InvalidInputException("document " + doc + ": token id " + id + " outside the vocabulary 0.."
                    + (config.vocab() - 1));
        }
        return id;
    }

    private int checkLimit(int limit, String what) {
        if (limit < 1 || limit > schedule.steps()) {
            throw new InvalidInputException(what + " must be 1.." + schedule.steps() + ", got " + limit);
        }
        return limit;
    }
}
