package dev.transfusion.plugins.image;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.PatchGeometry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A frozen VAE as a {@link LatentCodec}: encode takes the posterior mean (no sampling) times the latent
 * scale, so latents have about unit variance; decode divides by the scale and runs the decoder. Images of
 * another size are resized and centre-cropped to the VAE's size first; a grey VAE (one image channel) reads
 * colour images by their luma and decodes to grey images, an RGB VAE reads grey ones as R = G = B.
 * Thread-safe (calls are serialised).
 */
public final class VaeCodec implements LatentCodec {
    private static final String PIXELS = "pixels";
    private static final String LATENT = "latent";
    private static final String MEAN = "mean";
    private static final String DECODED = "decoded";
    /** Images per graph call in the batch methods: bounds native memory on large folders. */
    private static final int CHUNK = 64;

    private final VaeConfig config;
    private final SameDiff sd;

    /** A codec from a configuration and its weights (by {@link VaeNetwork} parameter name). */
    VaeCodec(VaeConfig config, Map<String, float[]> weights) {
        this.config = config;
        this.sd = SameDiff.create();
        VaeNetwork.declare(sd, config, weights);
        int s = config.imageSize(), l = config.latentSize();
        SDVariable pixels = sd.placeHolder(PIXELS, DataType.FLOAT, -1, config.imageChannels(), s, s);   // [N, I, S, S]
        sd.identity(MEAN, VaeNetwork.encode(sd, config, pixels)[0]);                            // [N, C, h, w]
        SDVariable latent = sd.placeHolder(LATENT, DataType.FLOAT, -1, config.latentChannels(), l, l);
        sd.identity(DECODED, VaeNetwork.decode(sd, config, latent));                            // [N, I, S, S]
    }

    /** Loads a verified VAE codec directory. */
    public static VaeCodec load(Path dir) {
        Path file = dir.resolve(CodecDirectory.CONFIG);
        var contents = CodecDirectory.read(dir, text -> VaeNetwork.parameterShapes(VaeConfig.fromJson(text, file)));
        return new VaeCodec(VaeConfig.fromJson(contents.config(), file), contents.weights());
    }

    /** The architecture and latent scale. */
    public VaeConfig config() {
        return config;
    }

    @Override
    public Latent encode(Part part) {
        if (!(part instanceof ImagePart image)) {
            throw new InvalidInputException("the image codec encodes image parts, got a " + part.modality() + " part");
        }
        return encodeAll(List.of(image.image())).get(0);
    }

    @Override
    public Part decode(Latent latent) {
        return new ImagePart(decodeAll(List.of(latent)).get(0));
    }

    /** Encodes many images, {@value #CHUNK} per graph call. */
    public List<Latent> encodeAll(List<RgbImage> images) {
        List<Latent> out = new ArrayList<>(images.size());
        int c = config.latentChannels(), l = config.latentSize(), per = c * l * l;
        for (int from = 0; from < images.size(); from += CHUNK) {
            List<RgbImage> chunk = new ArrayList<>();
            for (RgbImage img : images.subList(from, Math.min(images.size(), from + CHUNK))) {
                chunk.add(ImageFiles.fit(img, config.imageSize()));
            }
            float[] v = rawMeans(ImageTensors.batch(chunk, config.imageSize(), config.imageChannels()))
                    .muli(config.latentScale())
                    .dup('c').data().asFloat();                                             // [n, C, h, w]
            for (int i = 0; i < chunk.size(); i++) {
                out.add(new Latent(c, l, l, java.util.Arrays.copyOfRange(v, i * per, (i + 1) * per)));
            }
        }
        return out;
    }

    /** Decodes many latents, {@value #CHUNK} per graph call. */
    public List<RgbImage> decodeAll(List<Latent> latents) {
        int c = config.latentChannels(), l = config.latentSize(), per = c * l * l;
        List<RgbImage> out = new ArrayList<>(latents.size());
        for (int from = 0; from < latents.size(); from += CHUNK) {
            List<Latent> chunk = latents.subList(from, Math.min(latents.size(), from + CHUNK));
            float[] all = new float[chunk.size() * per];
            for (int i = 0; i < chunk.size(); i++) {
                Latent z = chunk.get(i);
                if (z.channels() != c || z.height() != l || z.width() != l) {
                    throw new InvalidInputException("this VAE decodes latents [" + c + ", " + l + ", " + l + "], got "
                            + z);
                }
                System.arraycopy(z.values(), 0, all, i * per, per);
            }
            INDArray raw = Nd4j.create(all, new long[] {chunk.size(), c, l, l}, 'c').divi(config.latentScale());
            INDArray pixels;
            synchronized (this) {
                pixels = sd.output(Map.of(LATENT, raw), DECODED).get(DECODED);                  // [n, I, S, S]
            }
            out.addAll(ImageTensors.images(pixels));
        }
        return out;
    }

    /** Encodes and decodes: what the VAE keeps of each image. */
    public List<RgbImage> reconstruct(List<RgbImage> images) {
        return decodeAll(encodeAll(images));
    }

    /** Posterior means [N, C, h, w] of pixels [N, I, S, S], unscaled (the training loop measures the scale). */
    synchronized INDArray rawMeans(INDArray pixels) {
        return sd.output(Map.of(PIXELS, pixels), MEAN).get(MEAN);
    }

    @Override
    public int latentChannels() {
        return config.latentChannels();
    }

    @Override
    public PatchGeometry geometry() {
        return new PatchGeometry(config.patchSize());
    }
}
