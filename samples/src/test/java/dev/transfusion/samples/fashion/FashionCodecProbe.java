package dev.transfusion.samples.fashion;

import dev.transfusion.api.RgbImage;
import dev.transfusion.core.CpuBackend;
import dev.transfusion.datasets.fashion.ClassifierDirectory;
import dev.transfusion.datasets.fashion.FashionClassifier;
import dev.transfusion.datasets.fashion.FashionMnist;
import dev.transfusion.plugins.image.VaeCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: how many Fashion-MNIST test images the judge's classifier still labels as their class after the
 * codec's round trip (28 x 28 -> the codec's size -> latent -> back -> 28 x 28, as the judge reads drawings),
 * beside its accuracy on the real images. Arguments: CODEC_DIR JUDGE_DIR [COUNT [DATA_DIR]]. Run on the samples
 * test class path; one native thread.
 */
final class FashionCodecProbe {
    public static void main(String[] args) {
        CpuBackend.limitThreads(1);
        VaeCodec codec = VaeCodec.load(Path.of(args[0]));
        FashionClassifier judge = ClassifierDirectory.load(Path.of(args[1]));
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        FashionMnist test = FashionMnist.open(args.length > 3 ? Path.of(args[3]) : FashionMnist.DEFAULT_DIR,
                FashionMnist.Split.TEST);
        List<RgbImage> real = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            real.add(test.image(i));
        }
        List<RgbImage> back = new ArrayList<>();
        for (RgbImage image : codec.reconstruct(real)) {
            back.add(image.resized(FashionMnist.SIDE, FashionMnist.SIDE));
        }
        FashionClassifier.Reading[] r = judge.read(real), b = judge.read(back);
        int realRight = 0, backRight = 0, same = 0;
        for (int i = 0; i < n; i++) {
            realRight += r[i].label() == test.label(i) ? 1 : 0;
            backRight += b[i].label() == test.label(i) ? 1 : 0;
            same += b[i].label() == r[i].label() ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "%d test images: classifier right on the real %.4f, on the round trip %.4f; "
                + "same label both ways %.4f%n", n, realRight / (double) n, backRight / (double) n, same / (double) n);
    }
}
