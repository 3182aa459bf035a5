package dev.transfusion.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.transfusion.api.DiffusionSampler;
import dev.transfusion.api.InvalidInputException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Timestep plans, written out. */
class TimestepPlanTest {

    @Test
    void ddimPlanIsTheReferenceBenchPlan() {
        // [int(round(985 * (1 - i / 50))) for i in range(50)] + [-1], printed by Python
        int[] expected = {985, 965, 946, 926, 906, 886, 867, 847, 827, 808, 788, 768, 749, 729, 709, 690, 670,
            650, 630, 611, 591, 571, 552, 532, 512, 492, 473, 453, 433, 414, 394, 374, 355, 335, 315, 296, 276,
            256, 236, 217, 197, 177, 158, 138, 118, 98, 79, 59, 39, 20, -1};
        TimestepPlan plan = TimestepPlan.ddim(1000, 50);
        assertArrayEquals(expected, plan.timesteps());
        assertEquals(50, plan.steps());
        assertEquals(985, plan.t(0));
        assertEquals(-1, plan.tPrev(49));
        // 985 * 0.5 = 492.5 rounds half to even, as Python does
        assertArrayEquals(new int[] {985, 492, -1}, TimestepPlan.ddim(1000, 2).timesteps());
    }

    @Test
    void ancestralPlans() {
        // from 985 (not 999, where beta is clipped at 0.999 and the first step explodes), every step once
        int[] every = IntStream.concat(IntStream.iterate(985, t -> t >= 0, t -> t - 1), IntStream.of(-1)).toArray();
        assertArrayEquals(every, TimestepPlan.ancestral(1000, 1000).timesteps());
        assertArrayEquals(every, TimestepPlan.ancestral(1000, 986).timesteps());
        TimestepPlan p250 = TimestepPlan.ancestral(1000, 250);
        assertEquals(250, p250.steps());
        assertArrayEquals(new int[] {985, 982, 978}, java.util.Arrays.copyOf(p250.timesteps(), 3));
        assertArrayEquals(new int[] {7, 3, -1}, java.util.Arrays.copyOfRange(p250.timesteps(), 248, 251));
        assertArrayEquals(new int[] {9, 6, 3, -1}, TimestepPlan.ancestral(10, 3).timesteps());
        assertEquals(TimestepPlan.ancestral(1000, 4), TimestepPlan.forSampler(DiffusionSampler.DDPM, 1000, 4));
        assertArrayEquals(new int[] {985, 739, 492, 246, -1}, TimestepPlan.ancestral(1000, 4).timesteps());
        assertEquals(TimestepPlan.start(1000), TimestepPlan.ddim(1000, 25).t(0));
    }

    @Test
    void badPlansAreRefused() {
        assertThrows(InvalidInputException.class, () -> TimestepPlan.of(5, 5));
        assertThrows(InvalidInputException.class, () -> new TimestepPlan(new int[] {5, 3}));
        assertThrows(InvalidInputException.class, () -> TimestepPlan.ancestral(1000, 0));
        assertThrows(InvalidInputException.class, () -> TimestepPlan.ancestral(1000, 1001));
        assertArrayEquals(new int[] {5, 3, -1}, TimestepPlan.of(5, 3).timesteps());
    }
}
