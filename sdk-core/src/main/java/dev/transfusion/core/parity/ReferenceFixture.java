package dev.transfusion.core.parity;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PackedBatch;
import dev.transfusion.core.io.NpyArray;
import dev.transfusion.core.model.ParameterLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fixture directory written by {@code transfusion_ref.py fixtures}: its configuration, parameters,
 * one packed batch, and the expected logits, predicted noise, losses and gradients. Any configuration
 * works; shapes are checked against {@code config.json} and a mismatch names the file.
 *
 * @param config     the model configuration
 * @param parameters name to values (torch layout)
 * @param batch      the packed input batch
 * @param logits     expected [B*T*V]
 * @param epsHat     expected [B*T*P]
 * @param losses     expected lm, ddpm, total
 * @param gradients  name to the expected gradient of the total loss
 */
public record ReferenceFixture(TransfusionConfig config, Map<String, float[]> parameters, PackedBatch batch,
                               float[] logits, float[] epsHat, double[] losses, Map<String, float[]> gradients) {

    /** Reads a fixture directory. */
    public static ReferenceFixture read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("fixture directory " + dir + " does not exist");
        }
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new InvalidInputException("fixture directory " + dir + " has no config.json");
        }
        TransfusionConfig c = TransfusionConfig.read(configFile);
        ParameterLayout layout = new ParameterLayout(c);
        Map<String, float[]> params = new LinkedHashMap<>(), grads = new LinkedHashMap<>();
        for (var e : layout.shapes().entrySet()) {
            params.put(e.getKey(), array(dir, "param." + e.getKey(), e.getValue()).floats());
            grads.put(e.getKey(), array(dir, "grad." + e.getKey(), e.getValue()).floats());
        }
        NpyArray tokens = array(dir, "input.tokens", null);
        if (tokens.shape().length != 2) {
            throw new InvalidInputException(dir.resolve("input.tokens.npy") + ": expected shape [B, T], got "
                    + java.util.Arrays.toString(tokens.shape()));
        }
        int b = (int) tokens.shape()[0], t = (int) tokens.shape()[1], p = c.patchDim();
        long[] bt = {b, t}, btp = {b, t, p};
        PackedBatch batch = new PackedBatch(b, t, p, tokens.ints(),
                array(dir, "input.targets", bt).ints(),
                array(dir, "input.is_image", bt).booleans(),
                array(dir, "input.patches", btp).floats(),
                array(dir, "input.noise", btp).floats(),
                array(dir, "input.timesteps", bt).ints(),
                array(dir, "input.positions", bt).ints(),
                array(dir, "input.image_id", bt).ints(),
                array(dir, "input.allowed", new long[] {b, t, t}).booleans());
        return new ReferenceFixture(c, params, batch,
                array(dir, "expect.logits", new long[] {b, t, c.vocab()}).floats(),
                array(dir, "expect.eps_hat", btp).floats(),
                array(dir, "expect.losses", new long[] {3}).values(),
                grads);
    }

    private static NpyArray array(Path dir, String name, long[] expectedShape) {
        Path f = dir.resolve(name + ".npy");
        if (!Files.isRegularFile(f)) {
            throw new InvalidInputException("fixture file " + f + " is missing");
        }
        NpyArray a = NpyArray.read(f);
        if (expectedShape != null && !java.util.Arrays.equals(a.shape(), expectedShape)) {
            throw new InvalidInputException(f + ": expected shape " + java.util.Arrays.toString(expectedShape)
                    + " from config.json, got " + java.util.Arrays.toString(a.shape()));
        }
        return a;
    }
}
