package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.transfusion.api.Document;
import dev.transfusion.api.TextScore;
import dev.transfusion.testing.StubModel;
import org.junit.jupiter.api.Test;

/**
 * A prompt is unfamiliar when the model finds one of its tokens very unlikely, even when its perplexity, an
 * average, looks moderate (the demo model: "a purple triangle" 29.5 with a token of p 2e-5).
 */
class PromptFamiliarityTest {

    /** A model that scores every text with the given per-token log-probabilities. */
    private record Scores(double... logProbs) implements StubModel {
        @Override
        public TextScore scoreText(Document context, String text) {
            double total = 0;
            for (double lp : logProbs) {
                total += lp;
            }
            return new TextScore(new int[logProbs.length], logProbs, total, Math.exp(-total / logProbs.length));
        }
    }

    @Test
    void aCaptionInTheTrainingTemplateIsFamiliar() {
        PromptFamiliarity f = PromptFamiliarity.of(new Scores(Math.log(0.9), Math.log(0.26), Math.log(0.5)), "a red x");
        assertNull(f.warning(1, "a large red circle in the top left"));
        assertEquals("2.04", f.column());   // (0.9 x 0.26 x 0.5)^(-1/3)
    }

    @Test
    void oneVeryUnlikelyTokenMakesAPromptUnfamiliarWhateverTheAverage() {
        PromptFamiliarity f = PromptFamiliarity.of(new Scores(Math.log(0.9), Math.log(2e-5), Math.log(0.9),
                Math.log(0.9), Math.log(0.9), Math.log(0.9)), "a purple triangle");
        assertEquals("warning: prompt 2 \"a purple triangle\" is far from the texts the model was trained on (a token "
                + "of probability 2.0e-05, perplexity 6.6): the image may not follow it", f.warning(2, "a purple triangle"));
    }
}
