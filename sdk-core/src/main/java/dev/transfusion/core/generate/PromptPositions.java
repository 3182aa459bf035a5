package dev.transfusion.core.generate;

import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.EncodedDocument;
import dev.transfusion.core.data.PositionRows;
import java.util.ArrayList;
import java.util.List;

/**
 * The positions of one prompt before they are run: token ids, the patches of continuous spans with their
 * timestep and modality, and which span each position belongs to (for bidirectional attention inside a span).
 * Made from a {@link EncodedDocument} that {@link dev.transfusion.core.data.SequenceLayout} laid out, or position
 * by position while generating.
 */
public final class PromptPositions {
    private final int patchDim;
    private final boolean bidirectionalSpans;
    final List<Integer> tokens = new ArrayList<>();
    final List<float[]> patches = new ArrayList<>();
    final List<Integer> timesteps = new ArrayList<>();
    final List<Integer> spanRun = new ArrayList<>();
    final List<Integer> modality = new ArrayList<>();
    private int runs;

    /**
     * No positions yet, for patches of at most {@code patchDim} values (the config's widest), a span's positions
     * seeing each other in both directions.
     */
    public PromptPositions(int patchDim) {
        this(patchDim, true);
    }

    /** No positions yet, for the model {@code c} describes (its widest patch, its span attention). */
    public PromptPositions(TransfusionConfig c) {
        this(c.patchDim(), c.bidirectionalSpans());
    }

    private PromptPositions(int patchDim, boolean bidirectionalSpans) {
        this.patchDim = patchDim;
        this.bidirectionalSpans = bidirectionalSpans;
    }

    /** The positions of a laid-out document, its spans clean (t = 0) unless they say otherwise. */
    public static PromptPositions of(EncodedDocument doc, TransfusionConfig c) {
        PromptPositions p = new PromptPositions(c);
        for (EncodedDocument.Segment s : doc.segments()) {
            if (s instanceof EncodedDocument.Tokens run) {
                for (int id : run.ids()) {
                    p.token(id);
                }
            } else if (s instanceof EncodedDocument.Image span) {
                int k = c.modalityIndex(span.modality());
                p.span(k, c.modalities().get(k).geometry().patchify(span.latent()), Math.max(0, span.t()),
                        c.specialTokens().pad());
            }
        }
        return p;
    }

    /** Appends a token. */
    public void token(int id) {
        tokens.add(id);
        patches.add(null);
        timesteps.add(0);
        spanRun.add(-1);
        modality.add(-1);
    }

    /** Appends an image's patches [n][P] at diffusion step t (0 for a clean image) as the first modality's span. */
    public void image(float[][] imagePatches, int t, int pad) {
        span(0, imagePatches, t, pad);
    }

    /**
     * Appends a span of modality {@code kind} (its index in the config): patches [n][P_m] at diffusion step t;
     * {@code pad} fills the token ids.
     */
    public void span(int kind, float[][] spanPatches, int t, int pad) {
        for (float[] p : spanPatches) {
            if (p.length > patchDim) {
                throw new IllegalArgumentException("a patch of " + p.length + " values, more than " + patchDim);
            }
            tokens.add(pad);
            patches.add(p);
            timesteps.add(t);
            spanRun.add(runs);
            modality.add(kind);
        }
        runs++;
    }

    /** Positions so far. */
    public int size() {
        return tokens.size();
    }

    /** As one row of positions that continue from {@code past} cached positions of the same document. */
    public PositionRows toRows(int past) {
        int s = size();
        int[] tok = new int[s], ts = new int[s], pos = new int[s], kind = new int[s];
        boolean[] img = new boolean[s];
        float[] pat = new float[s * patchDim];
        boolean[] allowed = new boolean[s * (past + s)];
        for (int i = 0; i < s; i++) {
            tok[i] = tokens.get(i);
            ts[i] = timesteps.get(i);
            pos[i] = past + i;
            img[i] = spanRun.get(i) >= 0;
            kind[i] = modality.get(i);
            if (patches.get(i) != null) {
                System.arraycopy(patches.get(i), 0, pat, i * patchDim, patches.get(i).length);
            }
            int row = i * (past + s);
            for (int j = 0; j < past; j++) {
                allowed[row + j] = true;
            }
            for (int j = 0; j < s; j++) {
                boolean sameSpan = bidirectionalSpans && img[i] && spanRun.get(j).equals(spanRun.get(i));
                allowed[row + past + j] = j <= i || sameSpan;
            }
        }
        return new PositionRows(1, s, tok, img, pat, ts, pos, allowed, kind);
    }
}
