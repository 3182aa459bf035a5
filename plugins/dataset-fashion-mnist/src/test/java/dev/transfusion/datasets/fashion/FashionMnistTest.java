package dev.transfusion.datasets.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TrainingExample;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package's files when installed (.ci/run installs it; the test fails, never skips, without it), and
 * small written copies for every malformed case.
 */
class FashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void theDebianPackageHoldsBothSplitsWithEveryClass() {
        FashionMnist train = FashionMnist.open(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TRAIN);
        FashionMnist test = FashionMnist.open(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        int[] counts = new int[10];
        for (int i = 0; i < test.size(); i++) {
            counts[test.label(i).ordinal()]++;
        }
        for (int c : counts) {
            assertEquals(1000, c);   // the test split is balanced
        }
        assertEquals(FashionClass.ANKLE_BOOT, train.label(0));   // the data set's well-known first label (9)
        RgbImage first = test.image(0);
        assertEquals(28, first.width());
        assertTrue(first.isGrey(), "one channel, as the files hold it");
        int bright = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertEquals(first.channel(x, y, 0), first.channel(x, y, 2), "grey: r = b");
                bright += first.channel(x, y, 0) > 128 ? 1 : 0;
            }
        }
        assertTrue(bright > 50 && bright < 700, "an item on a dark ground, got " + bright + " bright pixels");
    }

    @Test
    void captionsAndAnswersFollowTheClassNames() {
        assertEquals("a photo of a t-shirt/top", FashionClass.T_SHIRT_TOP.caption());
        assertEquals("a photo of an ankle boot", FashionClass.ANKLE_BOOT.caption());
        assertEquals(FashionClass.ANKLE_BOOT, FashionClass.named("  A photo of an  ankle boot"));
        assertEquals(FashionClass.BAG, FashionClass.named("bag"));
        assertNull(FashionClass.named("a photo of a hat"));
    }

    @Test
    void aMissingPackageSaysHowToInstallIt() {
        Path nowhere = dir.resolve("none");
        String m = assertThrows(InvalidInputException.class,
                () -> FashionMnist.open(nowhere, FashionMnist.Split.TEST)).getMessage();
        assertEquals("Fashion-MNIST is not at " + nowhere + ": install the Debian package (apt-get install "
                + "dataset-fashion-mnist, which puts it at /usr/share/datasets/fashion-mnist) or name its folder as "
                + "--data fashion-mnist:PATH", m);
    }

    @Test
    void dataFashionMnistColonPathReadsThatFolder() throws IOException {
        write("train-images-idx3-ubyte.gz", 0x803, new int[] {20, 28, 28});
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte.gz"))))) {
            out.writeInt(0x801);
            out.writeInt(20);
            for (int i = 0; i < 20; i++) {
                out.writeByte(i % 10);
            }
        }
        var registry = new dev.transfusion.core.plugin.DataSetRegistry(List.of(new FashionMnistDataSetProvider()));
        List<TrainingExample> examples = dev.transfusion.core.runtime.TrainingCorpus.read("fashion-mnist:" + dir, 1,
                registry);
        assertEquals(20 + 2, examples.size(), "20 captioned images and one question in ten");
        TrainingExample.Pair first = (TrainingExample.Pair) examples.get(0);
        assertEquals("a photo of a t-shirt/top", first.caption());
        assertEquals(28, first.image().width());
    }

    @Test
    void aFolderWithoutTheFilesNamesTheMissingFile() throws IOException {
        String m = assertThrows(InvalidInputException.class,
                () -> new FashionMnistDataSetProvider().trainingExamples(dir.toString(), 1)).getMessage();
        assertEquals("Fashion-MNIST folder " + dir + " has no train-images-idx3-ubyte.gz; expected the four IDX files "
                + "of the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist), gzipped or not", m);
        Path nowhere = dir.resolve("none");
        m = assertThrows(InvalidInputException.class,
                () -> new FashionMnistDataSetProvider().trainingExamples(nowhere.toString(), 1)).getMessage();
        assertTrue(m.startsWith("Fashion-MNIST is not at " + nowhere + ": install the Debian package (apt-get install "
                + "dataset-fashion-mnist"), m);
    }

    @Test
    void labelsAndImagesOfDifferentCountsAreRefused() throws IOException {
        write("t10k-images-idx3-ubyte.gz", 0x803, new int[] {3, 28, 28});
        write("t10k-labels-idx1-ubyte.gz", 0x801, new int[] {2});
        String m = assertThrows(InvalidInputException.class,
                () -> FashionMnist.open(dir, FashionMnist.Split.TEST)).getMessage();
        assertEquals("Fashion-MNIST labels " + dir.resolve("t10k-labels-idx1-ubyte.gz") + " have shape [2] but "
                + dir.resolve("t10k-images-idx3-ubyte.gz") + " holds 3 images; expected one label per image", m);
    }

    @Test
    void imagesOfAnotherSizeAndLabelsOutOfRangeAreRefused() throws IOException {
        write("t10k-images-idx3-ubyte.gz", 0x803, new int[] {2, 32, 32});
        write("t10k-labels-idx1-ubyte.gz", 0x801, new int[] {2});
        String m = assertThrows(InvalidInputException.class,
                () -> FashionMnist.open(dir, FashionMnist.Split.TEST)).getMessage();
        assertEquals("Fashion-MNIST images " + dir.resolve("t10k-images-idx3-ubyte.gz") + " have shape [2, 32, 32];"
                + " expected [N, 28, 28]", m);
        write("t10k-images-idx3-ubyte.gz", 0x803, new int[] {2, 28, 28});
        writeLabels(new int[] {3, 12});
        m = assertThrows(InvalidInputException.class, () -> FashionMnist.open(dir, FashionMnist.Split.TEST)).getMessage();
        assertEquals("Fashion-MNIST labels " + dir.resolve("t10k-labels-idx1-ubyte.gz")
                + " hold 12 at index 1; expected a class 0..9", m);
    }

    private void write(String name, int magic, int[] shape) throws IOException {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(dir.resolve(name))))) {
            out.writeInt(magic);
            for (int d : shape) {
                out.writeInt(d);
            }
            out.write(new byte[(int) n]);
        }
    }

    private void writeLabels(int[] labels) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(dir.resolve("t10k-labels-idx1-ubyte.gz"))))) {
            out.writeInt(0x801);
            out.writeInt(labels.length);
            for (int l : labels) {
                out.writeByte(l);
            }
        }
    }
}
