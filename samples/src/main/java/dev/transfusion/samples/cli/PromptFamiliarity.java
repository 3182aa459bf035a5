package dev.transfusion.samples.cli;

import dev.transfusion.api.Document;
import dev.transfusion.api.TextScore;
import dev.transfusion.api.TransfusionModel;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How familiar a prompt is to the model, from the model's own likelihood of the prompt's tokens: a prompt the
 * training texts never looked like (another colour word, another language, upper case) gives a blank or wrong
 * image, and the user should hear so. The measure is the least likely token: on the demo model every token of a
 * spec caption has probability 0.18 or more, while "a purple triangle", "A RED CIRCLE" and Chinese each hold a token
 * under 1e-4 (and a caption missing its size, "a red circle", 2e-5); perplexity alone averages such a token away
 * ("a purple triangle" 29.5 against 1.7 for a spec caption).
 *
 * @param perplexity  exp(-mean log p) of the prompt's tokens from the start of a document
 * @param leastLikely the probability of its least likely token
 */
record PromptFamiliarity(double perplexity, double leastLikely) {
    /** Below this probability of its least likely token, a prompt is far from the training texts. */
    static final double UNFAMILIAR = 1e-3;

    /** The model's reading of {@code prompt}. */
    static PromptFamiliarity of(TransfusionModel model, String prompt) {
        TextScore s = model.scoreText(Document.of(), prompt);
        double least = 0;
        for (double lp : s.logProbs()) {
            least = Math.min(least, lp);
        }
        return new PromptFamiliarity(s.perplexity(), Math.exp(least));
    }

    /** The one-line warning for prompt {@code index} (from 1), or null when the prompt is familiar. */
    @Nullable String warning(int index, String prompt) {
        if (leastLikely >= UNFAMILIAR) {
            return null;
        }
        return String.format(Locale.ROOT, "warning: prompt %d \"%s\" is far from the texts the model was trained on "
                + "(a token of probability %.1e, perplexity %.1f): the image may not follow it", index, prompt,
                leastLikely, perplexity);
    }

    /** The manifest's column: the perplexity, to two decimals. */
    String column() {
        return String.format(Locale.ROOT, "%.2f", perplexity);
    }
}
