package dev.transfusion.datasets.arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TrainingExample;
import dev.transfusion.core.io.NpyArray;
import dev.transfusion.core.plugin.DataSetRegistry;
import dev.transfusion.core.runtime.TrainingCorpus;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users' image arrays as --data idx:... and npy:...: small files written here, read back, and every bad one named. */
class ImageArraysTest {
    @TempDir
    Path dir;

    private static final DataSetRegistry REGISTRY = new DataSetRegistry(List.of(new ImageArrayDataSet.Idx(),
            new ImageArrayDataSet.Npy()));

    /** An IDX file of unsigned bytes; {@code gzip} compresses it. */
    private Path idx(String name, int[] shape, byte[] values, boolean gzip) throws IOException {
        Path f = dir.resolve(name);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x800 | shape.length);
            for (int d : shape) {
                out.writeInt(d);
            }
            out.write(values);
        }
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(f)) : Files.newOutputStream(f)) {
            out.write(bytes.toByteArray());
        }
        return f;
    }

    /** A .npy file of unsigned bytes. */
    private Path npyBytes(String name, long[] shape, byte[] values) throws IOException {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).reduce((a, b) -> a + ", " + b).orElse("");
        String header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? "," : "")
                + "), }";
        header = header + " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(values);
        Path f = dir.resolve(name);
        Files.write(f, out.toByteArray());
        return f;
    }

    private static byte[] ramp(int n) {
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) {
            v[i] = (byte) (i * 7);
        }
        return v;
    }

    private Path names(String... lines) throws IOException {
        return Files.writeString(dir.resolve("names.txt"), String.join("\n", lines) + "\n");
    }

    @Test
    void idxImagesLabelsAndNamesGiveCaptionedGreyImagesAndQuestions() throws IOException {
        Path images = idx("images.idx.gz", new int[] {20, 3, 2}, ramp(120), true);
        byte[] labelValues = new byte[20];
        for (int i = 0; i < 20; i++) {
            labelValues[i] = (byte) (i % 3);
        }
        Path labels = idx("labels.idx", new int[] {20}, labelValues, false);
        Path names = names("apple", "t-shirt/top", "egg");
        List<TrainingExample> ex = TrainingCorpus.read("idx:" + images + "," + labels + "," + names, 1, REGISTRY);
        assertEquals(20 + 2, ex.size(), "every image captioned, one in ten also asked");
        TrainingExample.Pair first = (TrainingExample.Pair) ex.get(0);
        assertEquals("a photo of an apple", first.caption());
        assertEquals("a photo of a t-shirt/top", ((TrainingExample.Pair) ex.get(1)).caption());
        RgbImage img = first.image();
        assertTrue(img.isGrey(), "an [N, H, W] array is grey");
        assertEquals(2, img.width());
        assertEquals(3, img.height());
        assertEquals(7, img.channel(1, 0, 0), "row-major: the second value is (x 1, y 0)");
        TrainingExample.QuestionAnswer qa = (TrainingExample.QuestionAnswer) ex.get(20);
        assertEquals(ImageArrays.QUESTION, qa.question());
        assertTrue(List.of("apple", "t-shirt/top", "egg").contains(qa.answer()), qa.answer());
    }

    @Test
    void npyColourImagesWithLabelsButNoNamesAreCaptionedByNumber() throws IOException {
        Path images = npyBytes("images.npy", new long[] {2, 2, 2, 3}, ramp(24));
        Path labels = dir.resolve("labels.npy");
        NpyArray.writeTensor(labels, new long[] {2}, new float[] {4, 0});
        ImageArrays a = ImageArrays.open(ImageArrays.Format.NPY, images + "," + labels);
        assertEquals(3, a.images().get(0).channels(), "[N, H, W, 3] is RGB");
        assertEquals(7 << 8 | 14, a.images().get(0).pixel(0, 0) & 0xffff);
        assertEquals("a photo of a 4", ImageArrays.caption(a.name(0)));
    }

    @Test
    void floatImagesInZeroToOneAndImagesWithoutLabels() throws IOException {
        Path images = dir.resolve("unit.npy");
        NpyArray.writeTensor(images, new long[] {2, 1, 2, 1}, new float[] {0f, 1f, 0.5f, 0.2f});
        List<TrainingExample> ex = ImageArrays.open(ImageArrays.Format.NPY, images.toString()).examples(3);
        assertEquals(2, ex.size());
        RgbImage img = ((ImagePart) ((TrainingExample.Doc) ex.get(0)).document().parts().get(0)).image();
        assertEquals(255, img.channel(1, 0, 0));
        assertTrue(img.isGrey());
        assertNull(ImageArrays.open(ImageArrays.Format.NPY, images.toString()).name(0));
    }

    private String error(ImageArrays.Format format, String argument) {
        return assertThrows(InvalidInputException.class, () -> ImageArrays.open(format, argument)).getMessage();
    }

    @Test
    void aTruncatedFileNamesItAndWhatItsHeaderDeclared() throws IOException {
        Path images = idx("images.idx", new int[] {4, 3, 3}, ramp(30), false);
        assertEquals("IDX file " + images + " is truncated: its header declares [4, 3, 3] = 36 values, but only 30 "
                + "follow", error(ImageArrays.Format.IDX, images.toString()));
        Path npy = npyBytes("short.npy", new long[] {4, 3, 3}, ramp(30));
        assertEquals(npy + " is not a readable .npy array: it is truncated: its header declares shape [4, 3, 3] of |u1 "
                + "(36 bytes of values), but only 30 follow", error(ImageArrays.Format.NPY, npy.toString()));
    }

    @Test
    void aWrongMagicNumberNamesTheFileAndTheExpectedOne() throws IOException {
        Path f = Files.write(dir.resolve("images.idx"), new byte[] {1, 2, 3, 4, 0, 0, 0, 1});
        assertEquals("IDX file " + f + " has magic number 0x01020304; expected 0x000008NN (unsigned bytes, NN = 1..4 "
                + "dimensions), as MNIST-style image and label files have", error(ImageArrays.Format.IDX, f.toString()));
        assertEquals(f + " is not a readable .npy array: it does not start with the \\x93NUMPY magic of the format",
                error(ImageArrays.Format.NPY, f.toString()));
    }

    @Test
    void labelsAndImagesOfDifferentCountsAreRefused() throws IOException {
        Path images = idx("images.idx", new int[] {3, 2, 2}, ramp(12), false);
        Path labels = idx("labels.idx", new int[] {2}, new byte[] {0, 1}, false);
        assertEquals("labels " + labels + " hold 2 labels but images " + images + " hold 3 images; expected one label "
                + "per image", error(ImageArrays.Format.IDX, images + "," + labels));
    }

    @Test
    void missingPathsAreNamed() throws IOException {
        Path nowhere = dir.resolve("none.idx");
        assertEquals("IDX file " + nowhere + " does not exist", error(ImageArrays.Format.IDX, nowhere.toString()));
        assertEquals("npy file " + nowhere + " does not exist", error(ImageArrays.Format.NPY, nowhere.toString()));
        Path images = idx("images.idx", new int[] {1, 2, 2}, ramp(4), false);
        Path labels = idx("labels.idx", new int[] {1}, new byte[] {0}, false);
        assertEquals("class names " + nowhere + " do not exist; expected a text file, one name a line",
                error(ImageArrays.Format.IDX, images + "," + labels + "," + nowhere));
        assertEquals("data set 'idx' needs files: --data idx:IMAGES[,LABELS[,NAMES.txt]]",
                assertThrows(InvalidInputException.class, () -> TrainingCorpus.read("idx", 1, REGISTRY)).getMessage());
    }

    @Test
    void otherBadInputsSayWhatWasExpected() throws IOException {
        Path images = idx("images.idx", new int[] {2, 2, 2}, ramp(8), false);
        Path labels = idx("labels.idx", new int[] {2}, new byte[] {0, 5}, false);
        Path names = names("cat", "dog");
        assertEquals("labels " + labels + " hold 5 at index 1 but " + names + " names 2 classes; expected labels 0..1",
                error(ImageArrays.Format.IDX, images + "," + labels + "," + names));
        assertEquals("--data idx:a,b,c,d names 4 files; expected idx:IMAGES[,LABELS[,NAMES.txt]]",
                error(ImageArrays.Format.IDX, "a,b,c,d"));
        assertEquals("class names " + names + " line 2 is empty; expected one name a line (the name of label 1)",
                error(ImageArrays.Format.IDX, images + "," + labels + "," + names("cat", "", "dog")));
        Path flat = idx("flat.idx", new int[] {8}, ramp(8), false);
        assertEquals("images " + flat + " have shape [8]; expected [N, H, W] (grey) or [N, H, W, C] with C = 1 (grey) "
                + "or 3 (RGB)", error(ImageArrays.Format.IDX, flat.toString()));
        Path big = dir.resolve("big.npy");
        NpyArray.writeTensor(big, new long[] {1, 1, 2}, new float[] {3f, 300f});
        assertEquals("images " + big + " hold 300.0 at flat index 1; expected levels 0..255 (or floats 0..1)",
                error(ImageArrays.Format.NPY, big.toString()));
        assertEquals("labels " + images + " have shape [2, 2, 2]; expected [N], one class per image",
                error(ImageArrays.Format.IDX, images + "," + images));
    }
}
