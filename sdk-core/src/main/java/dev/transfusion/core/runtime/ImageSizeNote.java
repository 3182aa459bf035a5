package dev.transfusion.core.runtime;

import dev.transfusion.api.RgbImage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The note a data set of images of another size than the codec's gets, once: how many images, which sizes and
 * aspects, and what happens to them (the codec scales the shorter side to its size and crops the centre).
 */
final class ImageSizeNote {
    private ImageSizeNote() {
    }

    /** The note for {@code images} and a codec of {@code side x side}, or null when all are that size. */
    static @Nullable String of(List<RgbImage> images, int side) {
        Map<String, Integer> sizes = new TreeMap<>();
        int other = 0;
        for (RgbImage img : images) {
            if (img.width() != side || img.height() != side) {
                other++;
                sizes.merge(img.width() + "x" + img.height() + " (" + aspect(img.width(), img.height()) + ")", 1,
                        Integer::sum);
            }
        }
        if (other == 0) {
            return null;
        }
        StringBuilder seen = new StringBuilder();
        sizes.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(3).forEach(e ->
                seen.append(seen.length() == 0 ? "" : ", ").append(e.getValue()).append(" at ").append(e.getKey()));
        return other + " of " + images.size() + " images are not " + side + "x" + side + " (" + seen
                + (sizes.size() > 3 ? ", ..." : "") + "): the image codec fits each to " + side + "x" + side
                + " (the bundled codecs scale the shorter side to " + side + " and keep the centre, cutting the "
                + "edges off); crop or pad them yourself to choose what is kept";
    }

    private static String aspect(int w, int h) {
        int g = gcd(w, h);
        return w / g + ":" + h / g;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
