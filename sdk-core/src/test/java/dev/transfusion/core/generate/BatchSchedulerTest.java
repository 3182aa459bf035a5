package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.DiffusionSampler;
import dev.transfusion.api.Document;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.Mode;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.core.data.PositionRows;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.parity.ReferenceFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Continuous batching: generations running at the same time through one {@link BatchScheduler} give, seed for
 * seed, the text and the image pixels of the unbatched generator, however they join, leave or are cancelled.
 */
class BatchSchedulerTest {
    static TransfusionGraph graph;
    static Generator plain;
    static Map<String, LatentCodec> codecs = Map.of(ImagePart.MODALITY, FakeModalities.PIXELS);

    BatchScheduler batch;
    final AtomicInteger widest = new AtomicInteger();
    final AtomicInteger passes = new AtomicInteger();

    @BeforeAll
    static void load() throws Exception {
        ReferenceFixture f = ReferenceFixture.read(Path.of(BatchSchedulerTest.class.getResource("/fixtures/tiny/config.json")
                .toURI()).getParent());
        TransfusionConfig c = f.config().withLatentSize(ImagePart.MODALITY, 8, 8);
        graph = new TransfusionGraph(c, f.parameters());
        plain = new Generator(graph, FakeModalities.LETTERS, codecs);
    }

    Generator batched(int maxBatch) {
        batch = new BatchScheduler(graph, maxBatch);
        batch.onPass(rows -> {
            passes.incrementAndGet();
            widest.accumulateAndGet(rows, Math::max);
        });
        return new Generator(batch, FakeModalities.LETTERS, codecs);
    }

    @AfterEach
    void close() {
        if (batch != null) {
            batch.close();
        }
    }

    static GenerationOptions.Builder opts() {
        return GenerationOptions.builder().maxTokens(16).diffusionSteps(6).sampler(DiffusionSampler.DDIM);
    }

    /** A request: a prompt and its options. */
    record Ask(Document prompt, GenerationOptions options) {
        Ask(String text, GenerationOptions.Builder o) {
            this(Document.text(text), o.build());
        }
    }

    static List<Ask> mixed() {
        return List.of(
                new Ask("a", opts().mode(Mode.TEXT).temperature(1.0).seed(1L)),
                new Ask("abcabcabc", opts().mode(Mode.TEXT).temperature(1.0).seed(2L).maxTokens(24)),
                new Ask("hello world and a longer prompt", opts().mode(Mode.TEXT).temperature(0.8).topP(0.9).seed(3L)),
                new Ask("red", opts().mode(Mode.IMAGE).seed(4L)),                          // guided: two rows
                new Ask("a blue square", opts().mode(Mode.IMAGE).guidanceScale(1.0).seed(5L)),  // unguided
                new Ask("ab", opts().mode(Mode.AUTO).temperature(1.2).seed(6L).maxTokens(30)),
                new Ask("xyz", opts().mode(Mode.TEXT).seed(7L)));                           // greedy
    }

    /** Runs every task on a thread of its own, started together; results in task order. */
    static List<GenerationResult> together(List<Supplier<GenerationResult>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<GenerationResult>> futures = new ArrayList<>();
            for (Supplier<GenerationResult> t : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return t.get();
                }));
            }
            start.countDown();
            List<GenerationResult> out = new ArrayList<>();
            for (Future<GenerationResult> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    Supplier<GenerationResult> session(Generator g, Ask a) {
        return () -> batch.session(() -> g.generate(a.prompt(), a.options()));
    }

    @Test
    void concurrentGenerationsGiveTheUnbatchedTextAndPixelsSeedForSeed() throws Exception {
        Generator g = batched(16);
        List<Ask> asks = mixed();
        List<Supplier<GenerationResult>> tasks = new ArrayList<>();
        asks.forEach(a -> tasks.add(session(g, a)));
        List<GenerationResult> got = together(tasks);
        for (int i = 0; i < asks.size(); i++) {
            GenerationResult want = plain.generate(asks.get(i).prompt(), asks.get(i).options());
            assertEquals(want, got.get(i), "request " + i + " (" + asks.get(i) + ")");   // text, pixels, usage
        }
        assertTrue(got.get(3).images().size() == 1 && got.get(4).images().size() == 1);
        assertTrue(widest.get() > 1, "no pass ran more than one request: nothing was batched");
    }

    @Test
    void aRequestJoiningAndOthersLeavingMidBatchChangeNoResult() throws Exception {
        Generator g = batched(16);
        Ask longOne = new Ask("abc", opts().mode(Mode.TEXT).temperature(1.0).seed(11L).maxTokens(48));
        Ask shortOne = new Ask("de", opts().mode(Mode.TEXT).temperature(1.0).seed(12L).maxTokens(3));
        Ask image = new Ask("a red circle", opts().mode(Mode.IMAGE).seed(13L));
        CountDownLatch longStarted = new CountDownLatch(4);   // the long one is 4 tokens in when the others join
        GenerationListener progress = GenerationListener.ofTokens((id, text) -> longStarted.countDown());
        List<GenerationResult> got = together(List.of(
                () -> batch.session(() -> g.generate(longOne.prompt(), longOne.options(), progress, new Cancellation())),
                () -> {
                    await(longStarted);
                    return batch.session(() -> g.generate(shortOne.prompt(), shortOne.options()));
                },
                () -> {
                    await(longStarted);
                    return batch.session(() -> g.generate(image.prompt(), image.options()));
                }));
        assertEquals(plain.generate(longOne.prompt(), longOne.options()), got.get(0));
        assertEquals(plain.generate(shortOne.prompt(), shortOne.options()), got.get(1));
        assertEquals(plain.generate(image.prompt(), image.options()), got.get(2));
    }

    @Test
    void cancellingOneRequestLeavesTheOthersAsTheyWouldBe() throws Exception {
        Generator g = batched(16);
        Ask a = new Ask("abc", opts().mode(Mode.TEXT).temperature(1.0).seed(21L).maxTokens(32));
        Ask victim = new Ask("abc", opts().mode(Mode.TEXT).temperature(1.0).seed(22L).maxTokens(32));
        Ask image = new Ask("blue", opts().mode(Mode.IMAGE).seed(23L).diffusionSteps(12));
        Cancellation cancel = new Cancellation();
        AtomicInteger tokens = new AtomicInteger();
        GenerationListener cancelAtThird = GenerationListener.ofTokens((id, text) -> {
            if (tokens.incrementAndGet() == 3) {
                cancel.cancel();
            }
        });
        List<GenerationResult> got = together(List.of(
                session(g, a),
                () -> batch.session(() -> g.generate(victim.prompt(), victim.options(), cancelAtThird, cancel)),
                session(g, image)));
        assertEquals(FinishReason.CANCELLED, got.get(1).finishReason());
        assertEquals(3, got.get(1).usage().generatedTokens());
        assertEquals(plain.generate(a.prompt(), a.options()), got.get(0));
        assertEquals(plain.generate(image.prompt(), image.options()), got.get(2));
    }

    @Test
    void noPassRunsMoreThanTheMaximumBatch() throws Exception {
        Generator g = batched(2);
        List<Ask> asks = mixed().subList(0, 5);
        List<Supplier<GenerationResult>> tasks = new ArrayList<>();
        asks.forEach(a -> tasks.add(session(g, a)));
        List<GenerationResult> got = together(tasks);
        assertTrue(widest.get() <= 2, "a pass ran " + widest.get() + " requests, more than the maximum of 2");
        assertEquals(2, widest.get(), "five requests at once never filled a pass of two");
        for (int i = 0; i < asks.size(); i++) {
            assertEquals(plain.generate(asks.get(i).prompt(), asks.get(i).options()), got.get(i), "request " + i);
        }
    }

    @Test
    void aStepThatFailsFailsItsOwnCallerOnly() throws Exception {
        Generator g = batched(16);
        Ask ok = new Ask("abc", opts().mode(Mode.TEXT).temperature(1.0).seed(31L).maxTokens(40));
        CachedForward forward = new CachedForward(batch);
        CountDownLatch running = new CountDownLatch(2);
        GenerationListener progress = GenerationListener.ofTokens((id, text) -> running.countDown());
        List<GenerationResult> got = together(List.of(
                () -> batch.session(() -> g.generate(ok.prompt(), ok.options(), progress, new Cancellation())),
                () -> {
                    await(running);
                    PromptPositions bad = new PromptPositions(graph.config().patchDim());
                    bad.token(999);                                   // outside the vocabulary of 64
                    var e = assertThrows(IllegalArgumentException.class,
                            () -> batch.session(() -> forward.run(bad.toRows(0), null)));
                    assertTrue(e.getMessage().contains("token 999"), e.getMessage());
                    return null;
                }));
        assertEquals(plain.generate(ok.prompt(), ok.options()), got.get(0));
    }

    @Test
    void aPassOfSeveralStepsGivesEachTheBitsItGetsAlone() {
        EagerForward eager = new EagerForward(graph);
        int pd = graph.config().patchDim();
        PromptPositions prompt = new PromptPositions(pd);
        for (int id : new int[] {0, 7, 8, 9, 10, 11}) {
            prompt.token(id);
        }
        PromptPositions one = new PromptPositions(pd);
        one.token(12);
        int rows = 2, n = 16;                                        // a guided span: two rows of 16 patches
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        float[] patches = new float[rows * n * pd];
        for (int i = 0; i < patches.length; i++) {
            patches[i] = (float) rng.nextGaussian();
        }
        int[] positions = new int[rows * n], ts = new int[rows * n], tokens = new int[rows * n], kind = new int[rows * n];
        boolean[] image = new boolean[rows * n], allowed = new boolean[rows * n * n];
        java.util.Arrays.fill(image, true);
        java.util.Arrays.fill(allowed, true);
        java.util.Arrays.fill(ts, 500);
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i % n;
        }
        PositionRows span = new PositionRows(rows, n, tokens, image, patches, ts, positions, allowed, kind);
        List<EagerForward.Segment> segments = List.of(new EagerForward.Segment(span, null, false),
                new EagerForward.Segment(one.toRows(0), null, true), new EagerForward.Segment(prompt.toRows(0), null, true));
        List<CachedForward.Result> together = eager.runAll(segments);
        for (int i = 0; i < segments.size(); i++) {
            EagerForward.Segment sg = segments.get(i);
            CachedForward.Result alone = eager.run(sg.step(), null, sg.keep());
            org.junit.jupiter.api.Assertions.assertArrayEquals(alone.logits(), together.get(i).logits(), 0f, "logits of " + i);
            org.junit.jupiter.api.Assertions.assertArrayEquals(alone.epsHat(), together.get(i).epsHat(), 0f, "eps of " + i);
            org.junit.jupiter.api.Assertions.assertArrayEquals(alone.cache().keys(1).data().asFloat(),
                    together.get(i).cache().keys(1).data().asFloat(), 0f, "keys of " + i);
        }
    }

    @Test
    void aClosedSchedulerRefusesNewWork() {
        Generator g = batched(4);
        batch.close();
        var e = assertThrows(IllegalStateException.class,
                () -> batch.session(() -> g.generate(Document.text("a"), opts().mode(Mode.TEXT).seed(1L).build())));
        assertEquals("the batch scheduler is closed", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchScheduler(graph, 0));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS), "the first request never got going");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
