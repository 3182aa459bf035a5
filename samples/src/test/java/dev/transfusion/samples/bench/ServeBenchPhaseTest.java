package dev.transfusion.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rounds of {@code bench serve} combine into medians, the rounds' range of ratios, and the worst results. */
class ServeBenchPhaseTest {
    static ServeBench.Phase round(double concurrent, double sequential, int identical, long bytes) {
        return new ServeBench.Phase("image", 16, concurrent, sequential, identical, bytes, 0, 12, 16, 1,
                sequential / concurrent, sequential / concurrent);
    }

    @Test
    void roundsGiveMedianTimesTheirRatioRangeAndTheWorstResults() {
        ServeBench.Phase p = ServeBench.Phase.of(List.of(round(1.0, 2.0, 16, 0), round(0.5, 2.5, 15, 3),
                round(0.8, 1.6, 16, 0)));
        assertEquals(0.8, p.concurrentS(), 1e-12);
        assertEquals(2.0, p.sequentialS(), 1e-12);
        assertEquals(2.5, p.speedup(), 1e-12);
        assertEquals(2.0, p.lowest(), 1e-12);
        assertEquals(5.0, p.highest(), 1e-12);
        assertEquals(15, p.identical(), "a request differing in any round is not identical");
        assertEquals(3, p.differingBytes());
        assertEquals(3, p.rounds());
        assertTrue(p.report().contains("ratio 2.50x (rounds 2.00-5.00)"), p.report());
        ServeBench.Phase two = ServeBench.Phase.of(List.of(round(1.0, 2.0, 16, 0), round(2.0, 3.0, 16, 0)));
        assertEquals(1.5, two.concurrentS(), 1e-12, "the median of an even count is the mean of the middle two");
    }
}
