package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.datasets.shapes.ShapesDataset;
import dev.transfusion.plugins.image.ImageFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-vae and vae-roundtrip run in-process: a tiny VAE end to end, and the errors users meet. */
class VaeCommandsTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void keepTheDefaultNatives() {
        // the commands select the oneDNN natives when ND4J has not started yet; the other tests in this JVM
        // should not depend on which test ran first
        if (System.getProperty("org.bytedeco.javacpp.platform.extension") == null) {
            System.setProperty("org.bytedeco.javacpp.platform.extension", "");
        }
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int exit = TransfusionCli.run(Terminal.of(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
                args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void trainsResumesAndRoundTrips() throws IOException {
        Path vae = tmp.resolve("vae");
        String[] tiny = {"train-vae", "--data", "shapes", "--out", vae.toString(), "--steps", "6", "--decoder-steps",
            "2", "--widths", "4,8", "--batch", "4"};
        Result r = run(tiny);
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isRegularFile(vae.resolve("manifest.json")));
        assertTrue(Files.isRegularFile(vae.resolve("reconstructions.png")));
        assertTrue(r.out().contains("mean PSNR"), r.out());
        assertTrue(r.out().contains("attributes kept"), r.out());
        assertTrue(r.err().contains("train-vae 6/6"), r.err());

        Result again = run(tiny);
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("--resume"), again.err());
        Result more = run("train-vae", "--data", "shapes", "--out", vae.toString(), "--steps", "8", "--resume");
        assertEquals(0, more.exit(), more.err());
        assertTrue(more.err().contains("train-vae (resumed at 6) 2/2"), more.err());

        Path images = Files.createDirectories(tmp.resolve("images"));
        ShapesDataset d = ShapesDataset.of(ShapesDataset.Split.TEST);
        for (int i = 0; i < 3; i++) {
            ImageFiles.writePng(d.sample(i).image(), images.resolve("img" + i + ".png"));
        }
        Files.writeString(images.resolve("manifest.tsv"), "img0.png\t" + d.sample(0).caption() + "\n");
        Path out = tmp.resolve("rebuilt");
        Result rt = run("vae-roundtrip", "--vae", vae.toString(), "--images", images.toString(), "--out", out.toString());
        assertEquals(0, rt.exit(), rt.err());
        assertTrue(rt.out().contains("mean PSNR"), rt.out());
        for (int i = 0; i < 3; i++) {
            assertEquals(32, ImageFiles.read(out.resolve("img" + i + ".png")).width());
        }
        assertEquals(Files.readString(images.resolve("manifest.tsv")), Files.readString(out.resolve("manifest.tsv")));
    }

    @Test
    void aFolderOfGreyImagesTrainsAGreyVaeThatRoundTripsGrey() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("grey"));
        ShapesDataset d = ShapesDataset.of(ShapesDataset.Split.TEST);
        for (int i = 0; i < 4; i++) {
            ImageFiles.writePng(d.sample(i).image().toGrey(), images.resolve("img" + i + ".png"));
        }
        Path vae = tmp.resolve("grey-vae");
        Result r = run("train-vae", "--data", images.toString(), "--out", vae.toString(), "--steps", "4",
                "--decoder-steps", "1", "--widths", "4,8", "--batch", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("(grey, latent 8x8x4"), r.out());
        assertTrue(Files.readString(vae.resolve("config.json")).contains("\"image_channels\" : 1"));
        assertEquals(1, dev.transfusion.api.ImageCodecs.header(Files.readAllBytes(vae.resolve("reconstructions.png")),
                "sheet").channels(), "the sheet of grey reconstructions is a greyscale PNG");
        Path out = tmp.resolve("grey-rebuilt");
        Result rt = run("vae-roundtrip", "--vae", vae.toString(), "--images", images.toString(), "--out", out.toString());
        assertEquals(0, rt.exit(), rt.err());
        for (int i = 0; i < 4; i++) {
            assertEquals(1, dev.transfusion.api.ImageCodecs.header(Files.readAllBytes(out.resolve("img" + i + ".png")),
                    "img").channels(), "a grey image comes back a greyscale PNG, not RGB noise");
        }
        Result rgb = run("train-vae", "--data", images.toString(), "--out", tmp.resolve("rgb-vae").toString(), "--steps",
                "2", "--decoder-steps", "1", "--widths", "4,8", "--batch", "2", "--channels", "3");
        assertEquals(0, rgb.exit(), rgb.err());
        assertTrue(rgb.out().contains("(RGB, latent"), rgb.out());
        Result bad = run("train-vae", "--data", images.toString(), "--out", tmp.resolve("bad").toString(), "--channels", "2");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("VAE image channels must be 1 (grey) or 3 (RGB), got 2"), bad.err());
    }

    @Test
    void anIdxImageArrayTrainsAGreyVae() throws IOException {
        Path idx = tmp.resolve("images.idx");
        try (java.io.DataOutputStream o = new java.io.DataOutputStream(Files.newOutputStream(idx))) {
            o.writeInt(0x803);
            o.writeInt(4);
            o.writeInt(32);
            o.writeInt(32);
            for (int i = 0; i < 4 * 32 * 32; i++) {
                o.writeByte(i % 32 < 16 ? 20 : 220);
            }
        }
        Path vae = tmp.resolve("idx-vae");
        Result r = run("train-vae", "--data", "idx:" + idx, "--out", vae.toString(), "--steps", "2", "--decoder-steps",
                "1", "--widths", "4,8", "--batch", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("(grey, latent"), r.out());
        Result missing = run("train-vae", "--data", "idx:" + tmp.resolve("none.idx"), "--out", tmp.resolve("x").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("IDX file " + tmp.resolve("none.idx") + " does not exist"), missing.err());
    }

    @Test
    void theShapesVaeTrainsOnVariedRasterizations() {
        var images = TrainVaeCommand.shapesTraining(32);
        var train = ShapesDataset.of(ShapesDataset.Split.TRAIN);
        int blended = 0;
        for (int i = 0; i < 64; i++) {
            assertEquals(dev.transfusion.datasets.shapes.VariedRasterization.image(train, i), images.image(i));
            blended += java.util.Arrays.stream(images.image(i).toPackedRgb()).distinct().count() > 2 ? 1 : 0;
        }
        assertTrue(blended > 16, blended + " of 64 anti-aliased");
    }

    @Test
    void dataThatIsNotAFolderOfImagesIsAnError() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "hello");
        Result r = run("train-vae", "--data", file.toString(), "--out", tmp.resolve("v").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("error: " + file + " is not a folder"), r.err());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Result e = run("train-vae", "--data", empty.toString(), "--out", tmp.resolve("v").toString());
        assertEquals(1, e.exit());
        assertTrue(e.err().contains("holds no .png, .jpg or .jpeg images"), e.err());

        Result rt = run("vae-roundtrip", "--vae", tmp.resolve("v").toString(), "--images", file.toString(), "--out",
                tmp.resolve("o").toString());
        assertEquals(1, rt.exit());
        assertTrue(rt.err().contains("is not a folder"), rt.err());
    }

    @Test
    void aMissingCodecIsAnError() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("imgs"));
        ImageFiles.writePng(ShapesDataset.of(ShapesDataset.Split.TEST).sample(0).image(), images.resolve("a.png"));
        Result r = run("vae-roundtrip", "--vae", tmp.resolve("none").toString(), "--images", images.toString(),
                "--out", tmp.resolve("o").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(tmp.resolve("none").toString()), r.err());
    }
}
