package dev.transfusion.api;

/**
 * How likely a text is after a context.
 *
 * @param tokenIds   the text's token ids
 * @param logProbs   natural-log probability of each token given everything before it
 * @param total      the sum of {@code logProbs}
 * @param perplexity exp(-mean log-probability)
 */
public record TextScore(int[] tokenIds, double[] logProbs, double total, double perplexity) {
    public TextScore {
        tokenIds = tokenIds.clone();
        logProbs = logProbs.clone();
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }

    @Override
    public double[] logProbs() {
        return logProbs.clone();
    }
}
