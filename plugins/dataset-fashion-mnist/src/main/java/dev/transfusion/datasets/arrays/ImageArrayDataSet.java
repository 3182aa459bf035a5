package dev.transfusion.datasets.arrays;

import dev.transfusion.api.TrainingExample;
import dev.transfusion.api.spi.DataSetProvider;
import java.util.List;

/**
 * Image arrays as {@code --data idx:IMAGES[,LABELS[,NAMES.txt]]} or {@code --data npy:...}: users' MNIST-like
 * sets, read by {@link ImageArrays}. Two providers, one per format, because {@code --data} names a provider.
 */
public abstract class ImageArrayDataSet implements DataSetProvider {
    private final ImageArrays.Format format;

    ImageArrayDataSet(ImageArrays.Format format) {
        this.format = format;
    }

    @Override
    public String name() {
        return format.name;
    }

    @Override
    public String description() {
        return "your images as " + (format == ImageArrays.Format.IDX ? "IDX files (gzip or plain)" : ".npy arrays")
                + ": --data " + ImageArrays.syntax(format) + "; captions 'a photo of a NAME' from the labels";
    }

    @Override
    public String argumentSyntax() {
        return ImageArrays.syntax(format).substring(format.name.length() + 1);
    }

    @Override
    public List<TrainingExample> trainingExamples(long seed) {
        return trainingExamples("", seed);
    }

    @Override
    public List<TrainingExample> trainingExamples(String argument, long seed) {
        return ImageArrays.open(format, argument).examples(seed);
    }

    /** {@code --data idx:...}. */
    public static final class Idx extends ImageArrayDataSet {
        /** The provider ServiceLoader makes. */
        public Idx() {
            super(ImageArrays.Format.IDX);
        }
    }

    /** {@code --data npy:...}. */
    public static final class Npy extends ImageArrayDataSet {
        /** The provider ServiceLoader makes. */
        public Npy() {
            super(ImageArrays.Format.NPY);
        }
    }
}
