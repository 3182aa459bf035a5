package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.DiffusionSampler;
import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.Document;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Mode;
import dev.transfusion.api.RgbImage;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.parity.ReferenceFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generation loop's behaviour on the (untrained) reference-fixture model. */
class GeneratorTest {
    static Generator generator;
    static Generator textOnly;
    static TransfusionGraph graph;
    static int limit;   // the positions a prompt may take

    @BeforeAll
    static void load() throws Exception {
        ReferenceFixture f = ReferenceFixture.read(Path.of(GeneratorTest.class.getResource("/fixtures/tiny/config.json")
                .toURI()).getParent());
        graph = new TransfusionGraph(f.config(), f.parameters());
        generator = new Generator(graph, FakeModalities.LETTERS, FakeModalities.PIXELS, 8);
        textOnly = new Generator(graph, FakeModalities.LETTERS, null, 8);
        limit = f.config().maxLength();
    }

    static GenerationOptions.Builder opts() {
        return GenerationOptions.builder().maxTokens(12).seed(5L).diffusionSteps(4).sampler(DiffusionSampler.DDIM);
    }

    @Test
    void greedyTextIsDeterministicAndStreamsEveryToken() {
        List<String> streamed = new ArrayList<>();
        GenerationResult a = textOnly.generate(Document.text("abc"), opts().mode(Mode.TEXT).build(),
                GenerationListener.ofTokens((id, text) -> streamed.add(text)), new Cancellation());
        GenerationResult b = textOnly.generate(Document.text("abc"), opts().mode(Mode.TEXT).build());
        assertEquals(a.text(), b.text());
        assertEquals(String.join("", streamed), a.text());
        assertEquals(4, a.usage().promptTokens());          // BOS + 3 letters
        assertTrue(a.usage().generatedTokens() <= 12);
        assertTrue(a.images().isEmpty());
        if (a.finishReason() == FinishReason.MAX_TOKENS) {
            assertEquals(12, a.usage().generatedTokens());
        }
    }

    @Test
    void aPromptTooLongToFitIsRefusedBeforeItIsEncoded() {
        // one letter a token: limit + 1 letters can never fit, and are refused without encoding (a 10 MB
        // prompt costs nothing); limit letters pass that check and are refused by position count
        var e = assertThrows(InvalidInputException.class, () -> textOnly.generate(
                Document.text("a".repeat(10_000_000)), opts().mode(Mode.TEXT).build()));
        assertEquals("prompt text has 10000000 characters, more than the " + limit
                + " positions the model reads can hold (a token stands for at most 1 bytes)", e.getMessage());
        var atLimit = assertThrows(InvalidInputException.class, () -> textOnly.generate(
                Document.text("a".repeat(limit)), opts().mode(Mode.TEXT).build()));
        assertEquals("prompt takes " + (limit + 1) + " positions; the limit is " + limit, atLimit.getMessage());
    }

    @Test
    void samplingDependsOnTheSeedAndIsReproducible() {
        GenerationOptions s1 = opts().mode(Mode.TEXT).temperature(1.5).maxTokens(20).build();
        String x = textOnly.generate(Document.text("ab"), s1).text();
        assertEquals(x, textOnly.generate(Document.text("ab"), s1).text());
        boolean differs = false;
        for (long seed = 6; seed < 12 && !differs; seed++) {
            differs = !x.equals(textOnly.generate(Document.text("ab"), s1.toBuilder().seed(seed).build()).text());
        }
        assertTrue(differs, "six other seeds all gave " + x);
    }

    @Test
    void imageModeDrawsOneImageWithEveryDiffusionStepReported() {
        List<DiffusionStep> steps = new ArrayList<>();
        // room for 24 tokens: IMAGE still ends with its one image (it once went on to a second and stray text)
        GenerationResult r = generator.generate(Document.text("a red circle"),
                opts().mode(Mode.IMAGE).maxTokens(24).build(), GenerationListener.ofDiffusion(steps::add),
                new Cancellation());
        assertEquals(1, r.parts().size(), r.parts().toString());
        assertEquals(1, r.images().size());
        assertEquals(FinishReason.END_OF_SEQUENCE, r.finishReason());
        RgbImage img = r.images().get(0);
        assertEquals(8, img.width());
        assertEquals(List.of(1, 2, 3, 4), steps.stream().map(DiffusionStep::step).toList());
        assertEquals(List.of(4, 4, 4, 4), steps.stream().map(DiffusionStep::totalSteps).toList());
        // the diffusion time of each step, as the DDIM plan visits it (it was reported as 0)
        assertEquals(List.of(985, 739, 492, 246), steps.stream().map(DiffusionStep::timestep).toList());
        assertEquals(1, r.usage().images());
    }

    @Test
    void aStopStringEndsTheTextAndIsNotIncluded() {
        String free = textOnly.generate(Document.text("abc"), opts().mode(Mode.TEXT).maxTokens(10).build()).text();
        assertTrue(free.length() >= 3, "the fixture model must write at least 3 letters, wrote '" + free + "'");
        String stop = free.substring(2, 3);
        GenerationResult r = textOnly.generate(Document.text("abc"),
                opts().mode(Mode.TEXT).maxTokens(10).stop(List.of(stop)).build());
        assertEquals(FinishReason.STOP_STRING, r.finishReason());
        assertEquals(free.substring(0, free.indexOf(stop)), r.text());
    }

    @Test
    void cancellingStopsAtTheNextStep() {
        Cancellation cancel = new Cancellation();
        List<DiffusionStep> steps = new ArrayList<>();
        GenerationResult r = generator.generate(Document.text("ab"), opts().mode(Mode.IMAGE).diffusionSteps(50).build(),
                GenerationListener.ofDiffusion(s -> {
                    steps.add(s);
                    if (s.step() == 2) {
                        cancel.cancel();
                    }
                }), cancel);
        assertEquals(FinishReason.CANCELLED, r.finishReason());
        assertEquals(2, steps.size());
        assertTrue(r.images().isEmpty());
        // the model is still usable after a cancelled call
        GenerationResult after = generator.generate(Document.text("ab"), opts().mode(Mode.IMAGE).maxTokens(1).build());
        assertEquals(1, after.images().size());
    }

    @Test
    void theSameSeedDrawsTheSameImageAndAnotherSeedAnotherOne() {
        GenerationOptions o = opts().mode(Mode.IMAGE).maxTokens(1).sampler(DiffusionSampler.DDPM).build();
        RgbImage a = generator.generate(Document.text("ab"), o).images().get(0);
        RgbImage b = generator.generate(Document.text("ab"), o).images().get(0);
        RgbImage c = generator.generate(Document.text("ab"), o.toBuilder().seed(6L).build()).images().get(0);
        assertEquals(a, b);
        assertFalse(a.equals(c), "seeds 5 and 6 drew the same image");
    }

    @Test
    void imagesInThePromptAreRead() {
        RgbImage img = RgbImage.fromPackedRgb(8, 8, new int[64]);
        GenerationResult r = generator.generate(Document.of(new ImagePart(img)), opts().mode(Mode.TEXT).build());
        assertEquals(1 + 1 + 16 + 1, r.usage().promptTokens());   // BOS BOI 16 patches EOI
        assertFalse(r.text().contains("\u0000"));
    }

    @Test
    void aTextOnlyModelRefusesImagePrompts() {
        RgbImage img = RgbImage.fromPackedRgb(8, 8, new int[64]);
        var e = assertThrows(InvalidInputException.class,
                () -> textOnly.generate(Document.of(new ImagePart(img)), opts().build()));
        assertTrue(e.getMessage().contains("codec"), e.getMessage());
    }

    @Test
    void generationStopsAtThePositionLimitWhateverMaxTokensSays() {
        int room = 3;   // positions left after the prompt
        String text = "abcdefgh".repeat(limit / 8 + 1).substring(0, limit - 1 - room);   // + BOS
        boolean reached = false;
        for (long seed = 1; seed <= 6; seed++) {
            GenerationResult r = textOnly.generate(Document.text(text), opts().mode(Mode.TEXT).maxTokens(65536)
                    .temperature(1.0).seed(seed).build());
            assertTrue(r.usage().promptTokens() + r.usage().generatedTokens() <= limit + 1,
                    "past the limit: " + r.usage());   // + 1: an EOS takes no position
            if (r.finishReason() == FinishReason.MAX_LENGTH) {
                assertEquals(room, r.usage().generatedTokens());
                reached = true;
            } else {
                assertEquals(FinishReason.END_OF_SEQUENCE, r.finishReason());
            }
        }
        assertTrue(reached, "no seed of six ran to the position limit");
    }

    @Test
    void aPromptOfTooManyImagesIsRefusedBeforeAnyIsEncoded() {
        java.util.concurrent.atomic.AtomicInteger encoded = new java.util.concurrent.atomic.AtomicInteger();
        dev.transfusion.api.spi.LatentCodec counting = new dev.transfusion.api.spi.LatentCodec() {
            @Override
            public dev.transfusion.api.spi.Latent encode(dev.transfusion.api.Part part) {
                encoded.incrementAndGet();
                return FakeModalities.PIXELS.encode(part);
            }

            @Override
            public dev.transfusion.api.Part decode(dev.transfusion.api.spi.Latent latent) {
                return FakeModalities.PIXELS.decode(latent);
            }

            @Override
            public int latentChannels() {
                return 4;
            }

            @Override
            public dev.transfusion.api.spi.PatchGeometry geometry() {
                return FakeModalities.PIXELS.geometry();
            }
        };
        Generator g = new Generator(graph, FakeModalities.LETTERS, counting, 8);
        RgbImage img = RgbImage.fromPackedRgb(8, 8, new int[64]);
        List<dev.transfusion.api.Part> parts = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            parts.add(new ImagePart(img));
        }
        var e = assertThrows(InvalidInputException.class, () -> g.generate(new Document(parts), opts().build()));
        assertEquals("prompt holds 2000 images of 18 positions each, more than the limit of " + limit + " positions",
                e.getMessage());
        assertEquals(0, encoded.get());
    }

    @Test
    void aCancelledPromptStopsWhileItIsEncoded() {
        Cancellation c = new Cancellation();
        c.cancel();
        RgbImage img = RgbImage.fromPackedRgb(8, 8, new int[64]);
        assertThrows(java.util.concurrent.CancellationException.class,
                () -> generator.encode(Document.of(new ImagePart(img), new ImagePart(img)), c));
    }
}
