package dev.transfusion.datasets.fashion;

import dev.transfusion.api.RgbImage;
import java.util.ArrayList;
import java.util.List;

/** Not a test: trains the classifier and prints accuracy, for measuring. */
final class ClassifierProbe {
    public static void main(String[] args) {
        int steps = Integer.parseInt(args[0]);
        FashionMnist train = FashionMnist.open(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TRAIN);
        FashionMnist test = FashionMnist.open(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST);
        long t0 = System.nanoTime();
        FashionClassifier c = ClassifierTrainer.train(train, steps, 1, s -> {
            if (s % 200 == 0) {
                System.err.printf("step %d %.1f s%n", s, (System.nanoTime() - t0) / 1e9);
            }
        });
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            images.add(test.image(i));
        }
        FashionClassifier.Reading[] r = c.read(images);
        int right = 0;
        for (int i = 0; i < r.length; i++) {
            right += r[i].label() == test.label(i) ? 1 : 0;
        }
        System.err.printf("steps %d train %.1f s test accuracy %.4f%n", steps, (System.nanoTime() - t0) / 1e9,
                right / (double) r.length);
    }
}
