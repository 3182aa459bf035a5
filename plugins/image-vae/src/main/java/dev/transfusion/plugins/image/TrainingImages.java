package dev.transfusion.plugins.image;

import dev.transfusion.api.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * An endless, indexable stream of square training images (a data set's generator through {@link #drawn}, or
 * a folder): image {@code i} is a pure function of i (and the seed), so a run that resumes at step s sees
 * exactly the images it would have seen.
 */
@FunctionalInterface
public interface TrainingImages {

    /** Image {@code index} (any non-negative long), already {@code size x size}. */
    RgbImage image(long index);

    /**
     * Images drawn by {@code draw} (a data set's generator, any side), fitted to {@code size x size}: the
     * stream a generator of indexed samples gives.
     */
    static TrainingImages drawn(LongFunction<RgbImage> draw, int size) {
        return index -> ImageFiles.fit(draw.apply(index), size);
    }

    /**
     * Every image of a folder, fitted to {@code size} and held in memory, visited in a fresh shuffled order
     * each epoch (the order of epoch e is seeded by {@code seed + e}).
     *
     * @throws dev.transfusion.api.InvalidInputException when the folder has no readable images (naming it)
     *                                                   or one image cannot be read (naming the file)
     */
    static TrainingImages folder(Path folder, int size, long seed) {
        List<RgbImage> images = new ArrayList<>();
        for (Path f : ImageFiles.list(folder)) {
            images.add(ImageFiles.read(f, size));
        }
        return shuffled(images, size, seed);
    }

    /**
     * {@code images} (a data set's, say), fitted to {@code size} and visited in a fresh shuffled order each epoch,
     * as {@link #folder}.
     *
     * @throws dev.transfusion.api.InvalidInputException when there are none
     */
    static TrainingImages shuffled(List<RgbImage> given, int size, long seed) {
        if (given.isEmpty()) {
            throw new dev.transfusion.api.InvalidInputException("no images to train the image codec on");
        }
        List<RgbImage> images = new ArrayList<>(given.size());
        for (RgbImage image : given) {
            images.add(ImageFiles.fit(image, size));
        }
        int n = images.size();
        return new TrainingImages() {
            private long epoch = -1;
            private int[] order = new int[0];

            @Override
            public synchronized RgbImage image(long index) {
                long e = index / n;
                if (e != epoch) {
                    order = shuffled(n, new Random(seed + e));
                    epoch = e;
                }
                return images.get(order[(int) (index % n)]);
            }
        };
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
