package dev.transfusion.plugins.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The heap path for long words gives exactly the ids of encoder.py's direct loop. */
class MergeRulesTest {

    @Test
    void heapAndDirectLoopAgreeOnRandomRulesAndWords() {
        Random random = new Random(2024);
        for (int trial = 0; trial < 200; trial++) {
            int alphabet = 2 + random.nextInt(5);
            int count = 1 + random.nextInt(40);
            int[] left = new int[count];
            int[] right = new int[count];
            int[] result = new int[count];
            for (int r = 0; r < count; r++) {
                // parts drawn from every id so far, in any order: ranks need not follow training order
                left[r] = random.nextInt(alphabet + count);
                right[r] = random.nextInt(alphabet + count);
                result[r] = alphabet + random.nextInt(count);
            }
            MergeRules rules = new MergeRules(left, right, result);
            for (int w = 0; w < 50; w++) {
                int[] word = random.ints(random.nextInt(300), 0, alphabet).toArray();
                assertArrayEquals(rules.applyDirect(word.clone()), rules.applyWithHeap(word.clone()),
                        () -> java.util.Arrays.toString(word));
            }
        }
    }

    @Test
    void overlappingOccurrencesMergeLeftToRight() {
        MergeRules rules = new MergeRules(new int[] {0, 1}, new int[] {0, 0}, new int[] {1, 2});
        int[] word = {0, 0, 0, 0, 0};
        // 0 0 | 0 0 | 0 -> 1 1 0 -> 1 2
        assertArrayEquals(new int[] {1, 2}, rules.applyDirect(word.clone()));
        assertArrayEquals(new int[] {1, 2}, rules.applyWithHeap(word.clone()));
    }
}
