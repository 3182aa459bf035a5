package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Transfusion;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PositionRows;
import dev.transfusion.core.generate.CachedForward;
import dev.transfusion.core.io.NpyArray;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.samples.parity.ParityReport;
import dev.transfusion.core.runtime.ModelDirectory;
import dev.transfusion.testing.TinyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code transfusion export}: safetensors and npy round trips, and the PyTorch reference loading the result. */
class ExportCommandTest {
    private static final int[] TOKENS = {3, 17, 42, 99, 5, 260, 7, 1};
    @TempDir
    static Path dir;
    static Path model;
    static Path asSafetensors;

    @BeforeAll
    static void export() {
        model = TinyModel.write(dir.resolve("tiny"));
        asSafetensors = dir.resolve("tiny-safetensors");
        ok("export", "--model", model.toString(), "--format", "safetensors", "--out", asSafetensors.toString(), "--as-model");
    }

    private static String ok(String... args) {
        var r = TransfusionCliTest.run("", args);
        assertEquals(0, r.exit(), r.out() + r.err());
        return r.out();
    }

    /** The logits of {@link #TOKENS} as a text-only sequence: [T, V]. */
    static float[] logits(Path modelDir) {
        ModelDirectory.Contents c = ModelDirectory.read(modelDir, Transfusion.registry());
        TransfusionConfig config = c.config();
        int t = TOKENS.length, p = config.latentChannels() * config.patch() * config.patch();
        boolean[] causal = new boolean[t * t];
        int[] positions = new int[t];
        for (int i = 0; i < t; i++) {
            positions[i] = i;
            for (int j = 0; j <= i; j++) {
                causal[i * t + j] = true;
            }
        }
        var step = new PositionRows(1, t, TOKENS, new boolean[t], new float[t * p], new int[t], positions, causal);
        return new CachedForward(new TransfusionGraph(config, c.weights())).run(step, null).logits();
    }

    @Test
    void aModelExportedAsSafetensorsLoadsAndGivesIdenticalLogits() throws IOException {
        assertTrue(Files.isRegularFile(asSafetensors.resolve("weights.safetensors")));
        assertTrue(Files.notExists(asSafetensors.resolve("weights")), "one weight format per model");
        float[] npy = logits(model), safetensors = logits(asSafetensors);
        assertArrayEquals(npy, safetensors);
        // and through the public API, as a user loads it
        try (var loaded = Transfusion.load(asSafetensors); var original = Transfusion.load(model)) {
            assertEquals(original.info().parameters(), loaded.info().parameters());
        }
    }

    @Test
    void npyToSafetensorsToNpyIsByteIdentical() throws IOException {
        Path back = dir.resolve("back-npy");
        String out = ok("export", "--model", asSafetensors.toString(), "--format", "npy", "--out", back.toString());
        assertTrue(out.startsWith("wrote "), out);
        Path original = model.resolve("weights");
        assertEquals(names(original), names(back));
        for (String name : names(original)) {
            assertArrayEquals(Files.readAllBytes(original.resolve(name)), Files.readAllBytes(back.resolve(name)), name);
        }
        // the weights-only safetensors file is the model directory's, byte for byte
        Path file = dir.resolve("weights-only.safetensors");
        ok("export", "--model", model.toString(), "--format", "SAFETENSORS", "--out", file.toString());
        assertArrayEquals(Files.readAllBytes(asSafetensors.resolve("weights.safetensors")), Files.readAllBytes(file));
    }

    @Test
    void anExistingOutputIsNeverOverwritten() throws IOException {
        Path taken = Files.writeString(dir.resolve("taken.safetensors"), "mine");
        var r = TransfusionCliTest.run("", "export", "--model", model.toString(), "--format", "safetensors",
                "--out", taken.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals("error: " + taken + " already exists; export writes only to a new path, so that nothing is "
                + "overwritten", r.err().strip());
        assertEquals("mine", Files.readString(taken));
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        var r = TransfusionCliTest.run("", "export", "--model", model.toString(), "--format", "onnx",
                "--out", dir.resolve("x").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--format") && r.err().contains("onnx"), r.err());
    }

    @Test
    void aModelWithBothWeightFormatsIsRefusedNamingBoth() throws IOException {
        Path both = dir.resolve("both");
        ok("export", "--model", model.toString(), "--format", "npy", "--out", both.toString(), "--as-model");
        Files.copy(asSafetensors.resolve("weights.safetensors"), both.resolve("weights.safetensors"));
        var r = TransfusionCliTest.run("", "export", "--model", both.toString(), "--format", "npy",
                "--out", dir.resolve("never").toString());
        assertEquals(1, r.exit(), r.err());
        // the manifest does not list the added file, or the directory holds both: either way it names the problem
        assertTrue(r.err().contains("weights.safetensors"), r.err());
        assertTrue(Files.notExists(dir.resolve("never")));
    }

    /**
     * The exported file loads into the PyTorch reference ({@code load_state_dict}, strict) and gives the
     * graph's logits. Runs where python3 with torch is installed ({@code apt-get install python3-torch}).
     */
    @Test
    void exportedWeightsLoadIntoThePyTorchReference() throws Exception {
        Assumptions.assumeTrue(torchPresent(), "python3 with torch is not installed");
        Path reference = Path.of(System.getProperty("user.dir")).getParent().resolve("bench/reference");
        assertTrue(Files.isRegularFile(reference.resolve("transfusion_ref.py")), "no reference at " + reference);
        Path script = Path.of(ExportCommandTest.class.getResource("/reference/load_safetensors.py").toURI());
        Path out = dir.resolve("reference-logits.npy");
        String tokens = java.util.Arrays.stream(TOKENS).mapToObj(String::valueOf).collect(Collectors.joining(","));
        Process p = new ProcessBuilder(PYTHON, script.toString(), reference.toString(), asSafetensors.toString(),
                tokens, out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the reference did not finish");
        assertEquals(0, p.exitValue(), log);
        float[] theirs = NpyArray.read(out).floats(), ours = logits(asSafetensors);
        double worst = 0, scale = 1e-12;
        for (int i = 0; i < ours.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
            scale = Math.max(scale, Math.abs(theirs[i]));
        }
        assertEquals(ours.length, theirs.length);
        assertTrue(worst / scale < ParityReport.OUTPUT_TOLERANCE, "relative error " + worst / scale);
    }

    /** Debian's interpreter, where its python3-torch lives (a pyenv or virtualenv python3 on the PATH lacks it). */
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    private static boolean torchPresent() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static List<String> names(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return new ArrayList<>(files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }
}
