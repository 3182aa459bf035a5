package dev.transfusion.core.model;

import dev.transfusion.core.ModalityConfig;
import dev.transfusion.core.TransfusionConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.jspecify.annotations.Nullable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;

/**
 * The paper's U-Net patch encoder and decoder: convolutional down blocks turn each image's latent
 * {@code [C, H, W]} into a {@code [D, H/p, W/p]} grid (one transformer position per p x p patch), and up
 * blocks with skip connections turn the transformer's outputs at those positions back into a predicted
 * noise latent. As in the paper, plain LayerNorm (over channels) replaces AdaLN, and the timestep
 * embedding is added inside every residual block.
 *
 * <p>Parameter layout: conv kernels are SameDiff's {@code [kH, kW, in, out]}; there is no reference
 * checkpoint of this coder to match, so no torch transposition is applied.
 */
final class UNetPatchCoder implements PatchCoder {
    private final SameDiff sd;          // null for a coder made for its shapes and feeds only
    private final TransfusionConfig c;
    private final ModalityConfig m;
    private final String un;            // this modality's parameter names: "unet." for images, "audio.unet." ...
    private final List<SDVariable> skips = new ArrayList<>();
    private SDVariable select;          // [N*h*w, B*T] one-hot: patch k of image i -> its position
    private SDVariable grid;            // [4] = N, h, w, D

    UNetPatchCoder(TransfusionConfig c, ModalityConfig m, @Nullable SameDiff sd) {
        this.sd = sd;
        this.c = c;
        this.m = m;
        this.un = m.prefix() + "unet.";
    }

    @Override
    public Map<String, long[]> encoderShapes() {
        return Map.of();
    }

    @Override
    public Map<String, long[]> decoderShapes() {
        return shapes();
    }

    @Override
    public SDVariable encode(String prefix, SDVariable imageTime) {
        if (sd == null) {
            throw new IllegalStateException("this coder was made for shapes and feeds only");
        }
        SDVariable latents = sd.placeHolder(prefix + m.prefix() + TransfusionGraph.IMAGE_LATENTS, DataType.FLOAT, -1,
                m.channels(), -1, -1);
        select = sd.placeHolder(prefix + m.prefix() + TransfusionGraph.IMAGE_SELECT, DataType.FLOAT, -1, -1);
        grid = sd.placeHolder(prefix + m.prefix() + TransfusionGraph.IMAGE_GRID, DataType.LONG, 4);
        return sd.mmul(select, encodeGrid(latents, imageTime), true, false, false);             // S^T enc, [BT, D]
    }

    @Override
    public SDVariable decode(SDVariable hidden, SDVariable imageTime) {
        return sd.mmul(select, decodeGrid(sd.mmul(select, hidden), imageTime, grid), true, false, false); // [BT, P]
    }

    /** Channels at full latent resolution: half the model width, at least 16. */
    int baseChannels() {
        return Math.max(16, c.dim() / 2);
    }

    /** Number of 2x down (and up) steps: log2(p). */
    int levels() {
        return Integer.numberOfTrailingZeros(m.patch()[0]);
    }

    /** Every U-Net parameter with its shape. */
    Map<String, long[]> shapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        long b = baseChannels(), d = c.dim(), ch = m.channels();
        s.put(un + "down.conv_in.weight", new long[] {3, 3, ch, b});
        s.put(un + "down.conv_in.bias", new long[] {b});
        resBlock(s, un + "down.res0", b, d);
        long in = b;
        for (int l = 0; l < levels(); l++) {
            long out = l == levels() - 1 ? d : b;
            s.put(un + "down.downsample" + l + ".weight", new long[] {3, 3, in, out});
            s.put(un + "down.downsample" + l + ".bias", new long[] {out});
            resBlock(s, un + "down.res" + (l + 1), out, d);
            in = out;
        }
        if (levels() == 0) {
            s.put(un + "down.to_dim.weight", new long[] {1, 1, b, d});
            s.put(un + "down.to_dim.bias", new long[] {d});
        }
        resBlock(s, un + "up.res_mid", d, d);
        in = d;
        for (int l = levels() - 1; l >= 0; l--) {
            s.put(un + "up.upsample" + l + ".weight", new long[] {3, 3, in, b});
            s.put(un + "up.upsample" + l + ".bias", new long[] {b});
            s.put(un + "up.merge" + l + ".weight", new long[] {1, 1, 2 * b, b});
            s.put(un + "up.merge" + l + ".bias", new long[] {b});
            resBlock(s, un + "up.res" + l, b, d);
            in = b;
        }
        if (levels() == 0) {
            s.put(un + "up.from_dim.weight", new long[] {1, 1, d, b});
            s.put(un + "up.from_dim.bias", new long[] {b});
        }
        s.put(un + "up.norm_out.gamma", new long[] {b});
        s.put(un + "up.norm_out.beta", new long[] {b});
        s.put(un + "up.conv_out.weight", new long[] {3, 3, b, ch});
        s.put(un + "up.conv_out.bias", new long[] {ch});
        return s;
    }

    private static void resBlock(Map<String, long[]> s, String p, long ch, long d) {
        s.put(p + ".norm1.gamma", new long[] {ch});
        s.put(p + ".norm1.beta", new long[] {ch});
        s.put(p + ".conv1.weight", new long[] {3, 3, ch, ch});
        s.put(p + ".conv1.bias", new long[] {ch});
        s.put(p + ".time.weight", new long[] {ch, d});
        s.put(p + ".time.bias", new long[] {ch});
        s.put(p + ".norm2.gamma", new long[] {ch});
        s.put(p + ".norm2.beta", new long[] {ch});
        s.put(p + ".conv2.weight", new long[] {3, 3, ch, ch});
        s.put(p + ".conv2.bias", new long[] {ch});
    }

    /** latents [N, C, H, W] and time embedding [N, D] -> patch embeddings [N * H/p * W/p, D], row-major per image. */
    private SDVariable encodeGrid(SDVariable latents, SDVariable temb) {
        SDVariable x = conv(latents, un + "down.conv_in", 3, 1);
        x = res(x, temb, un + "down.res0");
        skips.add(x);                                                       // [N, b, H, W]
        for (int l = 0; l < levels(); l++) {
            x = conv(x, un + "down.downsample" + l, 3, 2);
            x = res(x, temb, un + "down.res" + (l + 1));
            if (l < levels() - 1) {
                skips.add(x);
            }
        }
        if (levels() == 0) {
            x = conv(x, un + "down.to_dim", 1, 1);
        }
        return sd.reshape(sd.permute(x, 0, 2, 3, 1), -1, c.dim());          // [N*h*w, D]
    }

    /**
     * Transformer outputs at image positions [N*h*w, D] -> predicted noise patches [N*h*w, C*p*p].
     * Must follow {@link #encodeGrid} on the same instance (it reuses the skip activations).
     */
    private SDVariable decodeGrid(SDVariable hidden, SDVariable temb, SDVariable gridShape) {
        SDVariable x = sd.permute(sd.reshape(hidden, gridShape), 0, 3, 1, 2); // [N, D, h, w]
        x = res(x, temb, un + "up.res_mid");
        for (int l = levels() - 1; l >= 0; l--) {
            x = conv(sd.cnn.upsampling2d(x, 2, 2, true), un + "up.upsample" + l, 3, 1);
            x = conv(sd.concat(1, x, skips.get(l)), un + "up.merge" + l, 1, 1);
            x = res(x, temb, un + "up.res" + l);
        }
        if (levels() == 0) {
            x = conv(x, un + "up.from_dim", 1, 1);
        }
        x = silu(layerNorm(x, un + "up.norm_out"));
        SDVariable eps = conv(x, un + "up.conv_out", 3, 1);                   // [N, C, H, W]
        return patchify(eps);
    }

    /** [N, C, H, W] -> [N*h*w, C*p*p] in the reference's patch order: row-major grid, (c, py, px) inside. */
    private SDVariable patchify(SDVariable x) {
        int p = m.patch()[0], ch = m.channels();
        SDVariable shape = sd.shape(x).castTo(org.nd4j.linalg.api.buffer.DataType.LONG);  // [N, C, H, W]
        SDVariable n = sd.slice(shape, new int[] {0}, 1);
        SDVariable h = sd.slice(shape, new int[] {2}, 1).div(p);
        SDVariable w = sd.slice(shape, new int[] {3}, 1).div(p);
        SDVariable six = sd.concat(0, n, sd.constant(org.nd4j.linalg.factory.Nd4j.createFromArray((long) ch)), h,
                sd.constant(org.nd4j.linalg.factory.Nd4j.createFromArray((long) p)), w,
                sd.constant(org.nd4j.linalg.factory.Nd4j.createFromArray((long) p)));
        SDVariable split = sd.reshape(x, six);                                 // [N, C, h, p, w, p]
        return sd.reshape(sd.permute(split, 0, 2, 4, 1, 3, 5), -1, ch * p * p);
    }

    private SDVariable res(SDVariable x, SDVariable temb, String p) {
        SDVariable h = conv(silu(layerNorm(x, p + ".norm1")), p + ".conv1", 3, 1);
        SDVariable t = sd.mmul(temb, sd.getVariable(p + ".time.weight"), false, true, false)
                .add(sd.getVariable(p + ".time.bias"));                        // [N, ch]
        h = h.add(sd.expandDims(sd.expandDims(t, 2), 3));
        h = conv(silu(layerNorm(h, p + ".norm2")), p + ".conv2", 3, 1);
        return x.add(h);
    }

    /** LayerNorm over the channel axis of [N, ch, H, W] (the paper: LayerNorm instead of AdaLN). */
    private SDVariable layerNorm(SDVariable x, String p) {
        SDVariable mu = sd.mean(x, true, 1);
        SDVariable xc = x.sub(mu);
        SDVariable var = sd.mean(sd.math.square(xc), true, 1);
        SDVariable g = sd.reshape(sd.getVariable(p + ".gamma"), 1, -1, 1, 1);
        SDVariable b = sd.reshape(sd.getVariable(p + ".beta"), 1, -1, 1, 1);
        return xc.mul(sd.math.rsqrt(var.add(1e-5))).mul(g).add(b);
    }

    private SDVariable silu(SDVariable x) {
        return sd.nn.swish(x);
    }

    private SDVariable conv(SDVariable x, String p, int k, int stride) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(k / 2).pW(k / 2)
                .dataFormat("NCHW").build();
        return sd.cnn.conv2d(x, sd.getVariable(p + ".weight"), sd.getVariable(p + ".bias"), cfg);
    }

    /**
     * The U-Net coder works on whole latent grids, not on positions: it gets every image's latent x_t
     * (un-patchified) and a one-hot matrix from patch to sequence position. Images are square grids of
     * patches. A batch without images gets one empty dummy image
     * whose selection rows are zero, so that the graph's shapes never have a zero dimension.
     */
    @Override
    public void feed(String prefix, boolean[] isImage, float[] allPatches, int[] imageId, Map<String, INDArray> ph) {
        int n = imageId.length, p = m.patchDim();
        int images = Math.max(1, java.util.Arrays.stream(imageId).max().orElse(-1) + 1);
        int[] count = new int[images];
        for (int id : imageId) {
            if (id >= 0) {
                count[id]++;
            }
        }
        int perImage = Math.max(1, count[0]);
        int side = (int) Math.round(Math.sqrt(perImage));
        for (int k : count) {
            if (k != 0 && k != perImage || side * side != perImage) {
                throw new IllegalArgumentException("the U-Net patch coder needs square images of one size per batch; "
                        + "got images of " + java.util.Arrays.toString(count) + " patches");
            }
        }
        int px = m.patch()[0], ch = m.channels(), hw = side * side;
        dev.transfusion.api.spi.PatchGeometry geometry = new dev.transfusion.api.spi.PatchGeometry(px);
        float[] latents = new float[images * ch * side * px * side * px];
        float[] select = new float[images * hw * n];
        int[] seen = new int[images];
        float[][][] patches = new float[images][hw][];
        for (float[][] img : patches) {
            for (int k = 0; k < hw; k++) {
                img[k] = new float[p];
            }
        }
        for (int i = 0; i < n; i++) {
            int id = imageId[i];
            if (id < 0) {
                continue;
            }
            int k = seen[id]++;
            System.arraycopy(allPatches, i * p, patches[id][k], 0, p);
            select[(id * hw + k) * n + i] = 1f;
        }
        int size = ch * side * px * side * px;
        for (int id = 0; id < images; id++) {
            float[] lat = geometry.unpatchify(patches[id], ch, side * px, side * px).values();
            System.arraycopy(lat, 0, latents, id * size, size);
        }
        ph.put(prefix + m.prefix() + TransfusionGraph.IMAGE_LATENTS, Nd4j.create(latents, new long[] {images, ch, side * px, side * px}, 'c'));
        ph.put(prefix + m.prefix() + TransfusionGraph.IMAGE_SELECT, Nd4j.create(select, new long[] {images * hw, n}, 'c'));
        ph.put(prefix + m.prefix() + TransfusionGraph.IMAGE_GRID, Nd4j.createFromArray((long) images, side, side, c.dim()));
    }
}
