package dev.transfusion.core.generate;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import dev.transfusion.api.spi.Latent;
import dev.transfusion.api.spi.PatchGeometry;
import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.model.TransfusionGraph;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The U-Net patch coder (the graph's {@code UNetPatchCoder}) for one span at a time, in plain arrays and direct
 * BLAS calls, so that a U-Net model generates on {@link EagerForward}'s fast path: the same layers, parameters
 * and numbers to float rounding ({@code EagerUNetTest} holds it to the graph's cached forward).
 *
 * <p>Activations are kept as {@code [H*W, C]} (pixel-major): a convolution is then one product of the
 * im2col rows {@code [H*W, k*k*C_in]} with the kernel as SameDiff stores it ({@code [kH, kW, C_in, C_out]}, that
 * is {@code [k*k*C_in, C_out]}), LayerNorm over channels is a contiguous row, and the encoder's output is the
 * span's position rows in grid order.
 */
final class EagerUNet {
    private final TransfusionGraph graph;
    private final TransfusionConfig c;
    private final ModalityConfig m;
    private final String un;
    private final int levels;
    private final PatchGeometry geometry;

    EagerUNet(TransfusionGraph graph, ModalityConfig m) {
        this.graph = graph;
        this.c = graph.config();
        this.m = m;
        this.un = m.prefix() + "unet.";
        this.levels = Integer.numberOfTrailingZeros(m.patch()[0]);
        this.geometry = new PatchGeometry(m.patch()[0], m.patch()[1]);
    }

    /** Activations of one image: {@code v} is [h * w, ch], pixel-major. */
    private record Grid(float[] v, int h, int w, int ch) {
    }

    /** One span through the encoder: its position rows and the activations its decoder reuses. */
    record Encoded(float[] rows, List<Grid> skips, int side) {
    }

    /**
     * A span's x_t patches {@code [hw, P]} (grid order, row-major) and its timestep embedding {@code [D]} to its
     * position inputs {@code [hw, D]} (before the timestep embedding the forward adds to every position).
     */
    Encoded encode(float[] patches, int hw, float[] temb) {
        int side = (int) Math.round(Math.sqrt(hw)), p = m.patch()[0], ch = m.channels(), pd = m.patchDim();
        if (side * side != hw) {
            throw new IllegalArgumentException("the U-Net patch coder needs square images; got a span of " + hw + " patches");
        }
        float[][] rows = new float[hw][];
        for (int k = 0; k < hw; k++) {
            rows[k] = java.util.Arrays.copyOfRange(patches, k * pd, (k + 1) * pd);
        }
        float[] chw = geometry.unpatchify(rows, ch, side * p, side * p).values();
        Grid x = conv(fromChw(chw, ch, side * p, side * p), un + "down.conv_in", 3, 1);
        x = res(x, temb, un + "down.res0");
        List<Grid> skips = new ArrayList<>();
        skips.add(x);                                                                       // [H*W, b]
        for (int l = 0; l < levels; l++) {
            x = conv(x, un + "down.downsample" + l, 3, 2);
            x = res(x, temb, un + "down.res" + (l + 1));
            if (l < levels - 1) {
                skips.add(x);
            }
        }
        if (levels == 0) {
            x = conv(x, un + "down.to_dim", 1, 1);
        }
        return new Encoded(x.v(), skips, side);                                             // [h*w, D]
    }

    /** The transformer's final hidden rows at a span's positions {@code [hw, D]} to its predicted noise {@code [hw, P]}. */
    float[] decode(float[] hidden, Encoded enc, float[] temb) {
        int side = enc.side();
        Grid x = res(new Grid(hidden, side, side, c.dim()), temb, un + "up.res_mid");
        for (int l = levels - 1; l >= 0; l--) {
            x = conv(upsample(x), un + "up.upsample" + l, 3, 1);
            x = conv(concat(x, enc.skips().get(l)), un + "up.merge" + l, 1, 1);
            x = res(x, temb, un + "up.res" + l);
        }
        if (levels == 0) {
            x = conv(x, un + "up.from_dim", 1, 1);
        }
        x = silu(layerNorm(x, un + "up.norm_out"));
        Grid eps = conv(x, un + "up.conv_out", 3, 1);                                       // [H*W, C]
        float[][] patches = geometry.patchify(new Latent(eps.ch(), eps.h(), eps.w(), toChw(eps)));
        int pd = m.patchDim();
        float[] out = new float[patches.length * pd];
        for (int k = 0; k < patches.length; k++) {
            System.arraycopy(patches[k], 0, out, k * pd, pd);
        }
        return out;
    }

    private Grid res(Grid x, float[] temb, String p) {
        Grid h = conv(silu(layerNorm(x, p + ".norm1")), p + ".conv1", 3, 1);
        float[] t = dense(temb, p + ".time");                                              // [ch]
        for (int i = 0; i < h.v().length; i++) {
            h.v()[i] += t[i % h.ch()];
        }
        h = conv(silu(layerNorm(h, p + ".norm2")), p + ".conv2", 3, 1);
        float[] out = x.v().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += h.v()[i];
        }
        return new Grid(out, x.h(), x.w(), x.ch());
    }

    /** temb W^T + b for a torch-layout weight [ch, D]: one matrix-vector product on the weight's own memory. */
    private float[] dense(float[] temb, String p) {
        INDArray weight = graph.parameter(p + ".weight");
        float[] t = new float[(int) weight.size(0)];
        try (FloatPointer x = new FloatPointer(temb); FloatPointer out = new FloatPointer(t.length)) {
            RowProducts.matT(x, 0, 1, temb.length, weight, out, 0f, 1);
            out.get(t);
        }
        RowProducts.addBias(t, values(p + ".bias"));
        return t;
    }

    /** LayerNorm over each pixel's channels (biased variance, eps 1e-5), as the graph's. */
    private Grid layerNorm(Grid x, String p) {
        float[] g = values(p + ".gamma"), b = values(p + ".beta"), v = x.v(), out = new float[v.length];
        int ch = x.ch();
        for (int r = 0; r < v.length / ch; r++) {
            float mu = 0;
            for (int j = 0; j < ch; j++) {
                mu += v[r * ch + j];
            }
            mu /= ch;
            float var = 0;
            for (int j = 0; j < ch; j++) {
                float e = v[r * ch + j] - mu;
                var += e * e;
            }
            float inv = (float) (1.0 / Math.sqrt(var / ch + 1e-5f));
            for (int j = 0; j < ch; j++) {
                out[r * ch + j] = (v[r * ch + j] - mu) * inv * g[j] + b[j];
            }
        }
        return new Grid(out, x.h(), x.w(), ch);
    }

    private static Grid silu(Grid x) {
        Activations.silu(x.v(), 0, x.v().length);
        return x;
    }

    /** A k x k convolution, zero padding k/2, as one product of the im2col rows with the kernel. */
    private Grid conv(Grid x, String p, int k, int stride) {
        INDArray weight = graph.parameter(p + ".weight");                                  // [k, k, in, out]
        int in = x.ch(), out = (int) weight.size(3), pad = k / 2;
        int ho = (x.h() + 2 * pad - k) / stride + 1, wo = (x.w() + 2 * pad - k) / stride + 1, kk = k * k * in;
        float[] col;
        if (k == 1 && stride == 1) {
            col = x.v();
        } else {
            col = new float[ho * wo * kk];
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    int row = (oy * wo + ox) * kk;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * stride + ky - pad;
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * stride + kx - pad;
                            if (iy >= 0 && iy < x.h() && ix >= 0 && ix < x.w()) {
                                System.arraycopy(x.v(), (iy * x.w() + ix) * in, col, row + (ky * k + kx) * in, in);
                            }
                        }
                    }
                }
            }
        }
        int rows = ho * wo;
        float[] result = new float[rows * out];
        try (FloatPointer a = new FloatPointer((long) rows * kk); FloatPointer r = new FloatPointer((long) rows * out)) {
            a.put(col, 0, rows * kk);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, out, kk, 1f, a, kk,
                    RowProducts.pointer(weight), out, 0f, r, out);                          // [rows, out]
            r.get(result);
        }
        float[] bias = values(p + ".bias");
        for (int i = 0; i < result.length; i++) {
            result[i] += bias[i % out];
        }
        return new Grid(result, ho, wo, out);
    }

    /** Nearest-neighbour 2x upsampling. */
    private static Grid upsample(Grid x) {
        int h = x.h() * 2, w = x.w() * 2, ch = x.ch();
        float[] out = new float[h * w * ch];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                System.arraycopy(x.v(), ((y / 2) * x.w() + xx / 2) * ch, out, (y * w + xx) * ch, ch);
            }
        }
        return new Grid(out, h, w, ch);
    }

    /** Channels of {@code a} then {@code b}, per pixel. */
    private static Grid concat(Grid a, Grid b) {
        int ch = a.ch() + b.ch(), pixels = a.h() * a.w();
        float[] out = new float[pixels * ch];
        for (int i = 0; i < pixels; i++) {
            System.arraycopy(a.v(), i * a.ch(), out, i * ch, a.ch());
            System.arraycopy(b.v(), i * b.ch(), out, i * ch + a.ch(), b.ch());
        }
        return new Grid(out, a.h(), a.w(), ch);
    }

    private static Grid fromChw(float[] v, int ch, int h, int w) {
        float[] out = new float[v.length];
        for (int cc = 0; cc < ch; cc++) {
            for (int i = 0; i < h * w; i++) {
                out[i * ch + cc] = v[cc * h * w + i];
            }
        }
        return new Grid(out, h, w, ch);
    }

    private static float[] toChw(Grid g) {
        int ch = g.ch(), pixels = g.h() * g.w();
        float[] out = new float[g.v().length];
        for (int cc = 0; cc < ch; cc++) {
            for (int i = 0; i < pixels; i++) {
                out[cc * pixels + i] = g.v()[i * ch + cc];
            }
        }
        return out;
    }

    private float[] values(String name) {
        return graph.parameter(name).data().asFloat();
    }

    /**
     * One span of a U-Net modality in a pass: its rows of the pass, its x_t patches and timestep embedding, and
     * (once encoded) the activations its decoder reuses.
     */
    static final class Span {
        private final int modality;
        private final int[] rows;
        private final float[] patches, temb;
        private Encoded encoded;

        private Span(int modality, int[] rows, float[] patches, float[] temb) {
            this.modality = modality;
            this.rows = rows;
            this.patches = patches;
            this.temb = temb;
        }

        /**
         * The spans of modality {@code k} in a step whose rows start at pass row {@code first}: {@code patches}
         * [m, pm] are its positions' patches in order, {@code time} [spans, d] each span's timestep embedding.
         */
        static List<Span> of(int k, int[] modality, int length, int first, float[] patches, int pm, float[] time, int d) {
            List<Span> spans = new ArrayList<>();
            for (int i = 0, j = 0; i < modality.length; ) {
                if (modality[i] != k) {
                    i++;
                    continue;
                }
                int start = i;
                do {
                    i++;
                } while (i < modality.length && i % length != 0 && modality[i] == k);
                int[] rows = new int[i - start];
                for (int r = 0; r < rows.length; r++) {
                    rows[r] = first + start + r;
                }
                float[] mine = java.util.Arrays.copyOfRange(patches, j * pm, (j + rows.length) * pm);
                float[] t = java.util.Arrays.copyOfRange(time, spans.size() * d, (spans.size() + 1) * d);
                spans.add(new Span(k, rows, mine, t));
                j += rows.length;
            }
            return spans;
        }

        int modality() {
            return modality;
        }

        /** Adds the span's encoder output to its rows of the pass's inputs x [n, d]. */
        void encode(EagerUNet unet, float[] x, int d) {
            encoded = unet.encode(patches, rows.length, temb);
            for (int r = 0; r < rows.length; r++) {
                for (int e = 0; e < d; e++) {
                    x[rows[r] * d + e] += encoded.rows()[r * d + e];
                }
            }
        }

        /** The span's predicted noise from the pass's final hidden rows [n, d], into its rows of eps [n, pm]. */
        void decode(EagerUNet unet, float[] hidden, int d, float[] eps, int pm) {
            float[] mine = new float[rows.length * d];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(hidden, rows[r] * d, mine, r * d, d);
            }
            float[] out = unet.decode(mine, encoded, temb);
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(out, r * pm, eps, rows[r] * pm, pm);
            }
        }
    }
}
