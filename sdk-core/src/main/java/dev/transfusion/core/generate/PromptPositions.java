package dev.transfusion.core.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * The positions of one prompt before they are run: token ids, image patches with their timestep, and
 * which image run each position belongs to (for bidirectional attention inside an image).
 */
public final class PromptPositions {
    private final int patchDim;
    final List<Integer> tokens = new ArrayList<>();
    final List<float[]> patches = new ArrayList<>();
    final List<Integer> timesteps = new ArrayList<>();
    final List<Integer> imageRun = new ArrayList<>();
    private int runs;

    /** No positions yet, for patches of {@code patchDim} values. */
    public PromptPositions(int patchDim) {
        this.patchDim = patchDim;
    }

    /** Appends a token. */
    public void token(int id) {
        tokens.add(id);
        patches.add(null);
        timesteps.add(0);
        imageRun.add(-1);
    }

    /** Appends an image's patches [n][P] at diffusion step t (0 for a clean image); {@code pad} fills the token ids. */
    public void image(float[][] imagePatches, int t, int pad) {
        for (float[] p : imagePatches) {
            tokens.add(pad);
            patches.add(p);
            timesteps.add(t);
            imageRun.add(runs);
        }
        runs++;
    }

    /** Positions so far. */
    public int size() {
        return tokens.size();
    }

    /** As a step of one row whose positions continue from {@code past} cached positions of the same document. */
    public CachedForward.Step toStep(int past) {
        int s = size();
        int[] tok = new int[s], ts = new int[s], pos = new int[s];
        boolean[] img = new boolean[s];
        float[] pat = new float[s * patchDim];
        boolean[] allowed = new boolean[s * (past + s)];
        for (int i = 0; i < s; i++) {
            tok[i] = tokens.get(i);
            ts[i] = timesteps.get(i);
            pos[i] = past + i;
            img[i] = imageRun.get(i) >= 0;
            if (patches.get(i) != null) {
                System.arraycopy(patches.get(i), 0, pat, i * patchDim, patchDim);
            }
            int row = i * (past + s);
            for (int j = 0; j < past; j++) {
                allowed[row + j] = true;
            }
            for (int j = 0; j < s; j++) {
                boolean sameImage = img[i] && imageRun.get(j).equals(imageRun.get(i));
                allowed[row + past + j] = j <= i || sameImage;
            }
        }
        return new CachedForward.Step(1, s, tok, img, pat, ts, pos, allowed);
    }
}
