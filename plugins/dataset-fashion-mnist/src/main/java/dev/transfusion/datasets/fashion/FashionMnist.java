package dev.transfusion.datasets.fashion;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.core.io.IdxArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Fashion-MNIST as the Debian package {@code dataset-fashion-mnist} installs it: four gzip IDX files (60,000
 * training and 10,000 test images of 28 x 28 grey pixels, and their labels 0..9), read and checked here, nothing
 * downloaded. Images come out as one-channel (grey) {@link RgbImage}s.
 */
public final class FashionMnist {
    /** Where the Debian package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The side of an image in pixels. */
    public static final int SIDE = 28;

    /** The two splits, with their files' prefixes. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    private final Split split;
    private final IdxArray images;   // [N, 28, 28]
    private final IdxArray labels;   // [N]

    private FashionMnist(Split split, IdxArray images, IdxArray labels) {
        this.split = split;
        this.images = images;
        this.labels = labels;
    }

    /** One split from {@code dir}; errors name the file at fault and what was expected. */
    public static FashionMnist open(Path dir, Split split) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("Fashion-MNIST is not at " + dir + ": install the Debian package "
                    + "(apt-get install dataset-fashion-mnist, which puts it at " + DEFAULT_DIR
                    + ") or name its folder as --data fashion-mnist:PATH");
        }
        Path imageFile = file(dir, split.prefix + "-images-idx3-ubyte");
        Path labelFile = file(dir, split.prefix + "-labels-idx1-ubyte");
        for (Path f : new Path[] {imageFile, labelFile}) {
            if (!Files.isRegularFile(f)) {
                throw new InvalidInputException("Fashion-MNIST folder " + dir + " has no " + f.getFileName()
                        + "; expected the four IDX files of the Debian package dataset-fashion-mnist "
                        + "(apt-get install dataset-fashion-mnist), gzipped or not");
            }
        }
        IdxArray images = IdxArray.read(imageFile);
        IdxArray labels = IdxArray.read(labelFile);
        int[] s = images.shape();
        if (s.length != 3 || s[1] != SIDE || s[2] != SIDE) {
            throw new InvalidInputException("Fashion-MNIST images " + imageFile + " have shape " + Arrays.toString(s)
                    + "; expected [N, 28, 28]");
        }
        if (labels.shape().length != 1 || labels.shape()[0] != s[0]) {
            throw new InvalidInputException("Fashion-MNIST labels " + labelFile + " have shape "
                    + Arrays.toString(labels.shape()) + " but " + imageFile + " holds " + s[0]
                    + " images; expected one label per image");
        }
        for (int i = 0; i < s[0]; i++) {
            if (labels.at(i) > 9) {
                throw new InvalidInputException("Fashion-MNIST labels " + labelFile + " hold " + labels.at(i)
                        + " at index " + i + "; expected a class 0..9");
            }
        }
        return new FashionMnist(split, images, labels);
    }

    /** {@code NAME.gz} as the package ships it, or {@code NAME} uncompressed. */
    private static Path file(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        return Files.exists(gz) || !Files.exists(dir.resolve(name)) ? gz : dir.resolve(name);
    }

    /** The split it holds. */
    public Split split() {
        return split;
    }

    /** The number of images. */
    public int size() {
        return images.shape()[0];
    }

    /** The class of image {@code i}. */
    public FashionClass label(int i) {
        return FashionClass.of(labels.at(i));
    }

    /** Image {@code i}: 28 x 28, one channel (grey), white clothes on black as the data set has them. */
    public RgbImage image(int i) {
        return RgbImage.grey(SIDE, SIDE, java.util.Arrays.copyOfRange(images.values(), i * SIDE * SIDE,
                (i + 1) * SIDE * SIDE));
    }
}
