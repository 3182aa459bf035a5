package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.parity.ReferenceFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A generation pass split over several cores ({@link Lanes}) gives the bits of the pass on one: alone, and
 * batched across requests; and the split itself covers each row once and fails as its work does.
 */
class LanesTest {
    static TransfusionGraph graph;
    static final Map<String, LatentCodec> CODECS = Map.of(ImagePart.MODALITY, FakeModalities.PIXELS);

    @BeforeAll
    static void load() throws Exception {
        ReferenceFixture f = ReferenceFixture.read(Path.of(LanesTest.class.getResource("/fixtures/tiny/config.json")
                .toURI()).getParent());
        TransfusionConfig c = f.config().withLatentSize(ImagePart.MODALITY, 8, 8);
        graph = new TransfusionGraph(c, f.parameters());
    }

    static Generator on(Lanes lanes) {
        return new Generator(new CachedForward(graph, lanes), graph.config(), FakeModalities.LETTERS, CODECS);
    }

    @Test
    void aGenerationOnThreeLanesIsTheGenerationOnOne() {
        Lanes three = new Lanes(3);
        Generator one = on(new Lanes(1)), split = on(three);
        for (BatchSchedulerTest.Ask a : BatchSchedulerTest.mixed()) {
            assertEquals(one.generate(a.prompt(), a.options()), split.generate(a.prompt(), a.options()), a.toString());
        }
        assertEquals(3, three.mostPieces(), "no pass was split over the three lanes");
    }

    @Test
    void batchedPassesSplitOverLanesGiveTheUnbatchedOneLaneResults() throws Exception {
        Lanes two = new Lanes(2);
        Generator one = on(new Lanes(1));
        try (BatchScheduler batch = new BatchScheduler(graph, 16, two)) {
            Generator g = new Generator(batch, FakeModalities.LETTERS, CODECS);
            List<BatchSchedulerTest.Ask> asks = BatchSchedulerTest.mixed();
            List<Supplier<GenerationResult>> tasks = new ArrayList<>();
            asks.forEach(a -> tasks.add(() -> batch.session(() -> g.generate(a.prompt(), a.options()))));
            List<GenerationResult> got = BatchSchedulerTest.together(tasks);
            for (int i = 0; i < asks.size(); i++) {
                assertEquals(one.generate(asks.get(i).prompt(), asks.get(i).options()), got.get(i), "request " + i);
            }
        }
        assertEquals(2, two.mostPieces(), "no batched pass was split");
    }

    @Test
    void manyRequestsTokensAreSplitOverLanesAndKeepTheirNumbers() {
        int pd = graph.config().patchDim();
        Lanes two = new Lanes(2);
        EagerForward alone = new EagerForward(graph, new Lanes(1)), split = new EagerForward(graph, two);
        List<EagerForward.Segment> tokens = new ArrayList<>();
        for (int i = 0; i < 8; i++) {                          // eight requests, each a prompt then one token
            PromptPositions prompt = new PromptPositions(pd);
            for (int id = 0; id <= i % 3 + 2; id++) {
                prompt.token(5 + i + id);
            }
            KvCache past = alone.run(prompt.toRows(0), null, true).cache();
            PromptPositions next = new PromptPositions(pd);
            next.token(20 + i);
            tokens.add(new EagerForward.Segment(next.toRows((int) past.length()), past, false));
        }
        List<CachedForward.Result> together = split.runAll(tokens);
        assertEquals(2, two.mostPieces(), "eight requests' tokens were not split over the two lanes");
        for (int i = 0; i < tokens.size(); i++) {
            EagerForward.Segment s = tokens.get(i);
            CachedForward.Result one = alone.run(s.step(), s.past(), false);
            assertTrue(java.util.Arrays.equals(one.logits(), together.get(i).logits()), "request " + i + "'s logits");
        }
    }

    @Test
    void aSplitCoversEveryIndexOnceOnDistinctLanes() {
        Lanes lanes = new Lanes(3);
        for (int size : new int[] {0, 1, 2, 5, 64, 1001}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(size);
            AtomicIntegerArray byLane = new AtomicIntegerArray(3);
            lanes.split(size, 8, (from, to, lane) -> {
                byLane.incrementAndGet(lane);
                for (int i = from; i < to; i++) {
                    seen.incrementAndGet(i);
                }
            });
            for (int i = 0; i < size; i++) {
                assertEquals(1, seen.get(i), "index " + i + " of " + size);
            }
            for (int lane = 0; lane < 3; lane++) {
                assertTrue(byLane.get(lane) <= 1, "lane " + lane + " ran twice in one split of " + size);
            }
        }
        AtomicIntegerArray once = new AtomicIntegerArray(1);
        lanes.split(100, 1, (from, to, lane) -> once.addAndGet(0, to - from));
        assertEquals(100, once.get(0), "one piece asked for: the caller runs it all");
    }

    @Test
    void aFailingPieceFailsTheSplitAfterTheOthersFinish() {
        Lanes lanes = new Lanes(2);
        AtomicIntegerArray done = new AtomicIntegerArray(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> lanes.split(10, 2, (from, to, lane) -> {
            if (lane == 1) {
                throw new IllegalStateException("piece " + from + ".." + to);
            }
            sleep(50);
            done.set(0, 1);
        }));
        assertEquals("piece 5..10", e.getMessage());
        assertEquals(1, done.get(0), "the split returned before the caller's own piece finished");
        lanes.split(4, 2, (from, to, lane) -> { });         // the worker survives a failure
    }

    @Test
    void anInterruptedCallerStillWaitsForItsPiecesAndKeepsTheFlag() {
        Lanes lanes = new Lanes(2);
        AtomicIntegerArray done = new AtomicIntegerArray(1);
        lanes.split(2, 2, (from, to, lane) -> {
            if (lane == 0) {
                Thread.currentThread().interrupt();
            } else {
                sleep(100);
                done.set(0, 1);
            }
        });
        assertTrue(Thread.interrupted(), "the interrupt was swallowed");
        assertEquals(1, done.get(0), "the split returned while a worker still wrote into the caller's buffers");
    }

    @Test
    void lanesMustBeAtLeastOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Lanes(0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
