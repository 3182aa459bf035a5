package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sampler's token order is the stable sort by logit it replaced, ties included, so a seed draws the tokens it
 * drew (the rest of the sampler reads only that order).
 */
class NucleusSamplerTest {
    /** The order the sampler used before: boxed ids, stably sorted by Float.compare, largest first. */
    static int[] boxedOrder(float[] logits) {
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void theOrderIsTheStableSortByLogitIncludingTiesZerosInfinitiesAndNaN() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            float[] logits = new float[1 + rnd.nextInt(600)];
            for (int i = 0; i < logits.length; i++) {
                int kind = rnd.nextInt(10);
                logits[i] = kind == 0 ? Float.NEGATIVE_INFINITY : kind == 1 ? (rnd.nextBoolean() ? 0f : -0f)
                        : kind == 2 ? (float) rnd.nextInt(3)                        // many ties
                        : kind == 3 && trial % 7 == 0 ? Float.NaN
                        : kind == 4 ? Float.POSITIVE_INFINITY : (float) (rnd.nextGaussian() * 5);
            }
            assertArrayEquals(boxedOrder(logits), NucleusSampler.byLogitDescending(logits), "trial " + trial);
        }
    }
}
