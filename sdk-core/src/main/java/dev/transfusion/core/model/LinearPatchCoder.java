package dev.transfusion.core.model;

import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The reference's patch coder: {@code patch_in} (a linear layer on each x_t patch) and {@code patch_out}, per modality. */
final class LinearPatchCoder implements PatchCoder {
    private final TransfusionConfig c;
    private final ModalityConfig m;
    private final String in, out;       // parameter names: "patch_in" for images, "audio.patch_in" ...
    private final @Nullable SameDiff sd;

    LinearPatchCoder(TransfusionConfig c, ModalityConfig m, @Nullable SameDiff sd) {
        this.c = c;
        this.m = m;
        this.in = m.prefix() + "patch_in";
        this.out = m.prefix() + "patch_out";
        this.sd = sd;
    }

    @Override
    public Map<String, long[]> encoderShapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put(in + ".weight", new long[] {c.dim(), m.patchDim()});
        s.put(in + ".bias", new long[] {c.dim()});
        return s;
    }

    @Override
    public Map<String, long[]> decoderShapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put(out + ".weight", new long[] {m.patchDim(), c.dim()});
        s.put(out + ".bias", new long[] {m.patchDim()});
        return s;
    }

    @Override
    public SDVariable encode(String prefix, SDVariable imageTime) {
        SameDiff g = graph();
        int d = c.dim();
        SDVariable patches = g.placeHolder(prefix + m.prefix() + TransfusionGraph.PATCHES, DataType.FLOAT, -1, m.patchDim() + 1);
        // [x_t, 1] [W | b]^T: the ones column is 0 at text positions, so the bias stays out of them
        SDVariable weightAndBias = g.concat(1, g.getVariable(in + ".weight"),
                g.reshape(g.getVariable(in + ".bias"), d, 1));
        return g.mmul(patches, weightAndBias, false, true, false);                              // [BT, D]
    }

    @Override
    public SDVariable decode(SDVariable hidden, SDVariable imageTime) {
        SameDiff g = graph();
        return g.mmul(hidden, g.getVariable(out + ".weight"), false, true, false).add(g.getVariable(out + ".bias"));
    }

    @Override
    public void feed(String prefix, boolean[] isImage, float[] patches, int[] imageId, Map<String, INDArray> ph) {
        int n = isImage.length, p = m.patchDim();
        float[] aug = new float[n * (p + 1)];                    // [BT, P + 1], zero rows at text positions
        for (int i = 0; i < n; i++) {
            if (isImage[i]) {
                System.arraycopy(patches, i * p, aug, i * (p + 1), p);
                aug[i * (p + 1) + p] = 1f;
            }
        }
        ph.put(prefix + m.prefix() + TransfusionGraph.PATCHES, Nd4j.create(aug, new long[] {n, p + 1}, 'c'));
    }

    private SameDiff graph() {
        if (sd == null) {
            throw new IllegalStateException("this coder was made for shapes and feeds only");
        }
        return sd;
    }
}
