package dev.transfusion.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.ImageScore;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextScore;
import dev.transfusion.core.model.TransfusionGraph;
import dev.transfusion.core.parity.ReferenceFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScorerTest {
    static Scorer scorer;
    static int limit;   // the positions context and text may take

    @BeforeAll
    static void load() throws Exception {
        ReferenceFixture f = ReferenceFixture.read(Path.of(ScorerTest.class.getResource("/fixtures/tiny/config.json")
                .toURI()).getParent());
        scorer = new Scorer(new TransfusionGraph(f.config(), f.parameters()), FakeModalities.LETTERS,
                FakeModalities.PIXELS);
        limit = f.config().maxLength();
    }

    @Test
    void theLikelihoodOfATextIsTheProductOfItsTokensInContext() {
        TextScore both = scorer.text(Document.text("ab"), "cd");
        TextScore c = scorer.text(Document.text("ab"), "c");
        TextScore d = scorer.text(Document.text("abc"), "d");
        assertArrayEquals(new int[] {7, 8}, both.tokenIds());
        assertEquals(c.total() + d.total(), both.total(), 1e-5);
        assertEquals(Math.exp(-both.total() / 2), both.perplexity(), 1e-9);
        for (double lp : both.logProbs()) {
            assertTrue(lp < 0);
        }
    }

    @Test
    void aTextTooLongToScoreIsRefusedLikeAPrompt() {
        var far = assertThrows(InvalidInputException.class, () -> scorer.text(Document.text("ab"), "c".repeat(1_000_000)));
        assertEquals("prompt text has 1000002 characters, more than the " + limit
                + " positions the model reads can hold (a token stands for at most 1 bytes)", far.getMessage());
        var over = assertThrows(InvalidInputException.class, () -> scorer.text(Document.text("ab"), "c".repeat(limit - 2)));
        assertEquals("scoreText: the context with the text takes " + (limit + 1) + " positions; the limit is " + limit,
                over.getMessage());
    }

    @Test
    void imageLossIsReproducibleBySeedAndDependsOnT() {
        RgbImage img = RgbImage.fromPackedRgb(8, 8, new int[64]);
        ImageScore a = scorer.image("ab", img, new int[] {100, 900}, 3);
        ImageScore b = scorer.image("ab", img, new int[] {100, 900}, 3);
        assertArrayEquals(a.losses(), b.losses());
        assertNotEquals(a.losses()[0], a.losses()[1]);
        assertEquals((a.losses()[0] + a.losses()[1]) / 2, a.mean(), 1e-12);
        var e = assertThrows(InvalidInputException.class, () -> scorer.image("ab", img, new int[] {1000}, 3));
        assertTrue(e.getMessage().contains("1000"), e.getMessage());
    }

    @Test
    void imageScoresCapTheirTimestepsAndStopWhenCancelled() {
        RgbImage img = RgbImage.fromPackedRgb(8, 8, new int[64]);
        int[] many = new int[Scorer.MAX_TIMESTEPS + 1];
        var e = assertThrows(InvalidInputException.class, () -> scorer.image("a", img, many, 1));
        assertEquals("scoreImage: 65 timesteps, more than the 64 one score may take", e.getMessage());
        Cancellation c = new Cancellation();
        c.cancel();
        assertThrows(java.util.concurrent.CancellationException.class,
                () -> scorer.image("a", img, new int[] {10, 20}, 1, c));
    }
}
