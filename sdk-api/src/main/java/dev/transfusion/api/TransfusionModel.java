package dev.transfusion.api;

/**
 * A loaded Transfusion model: one transformer that writes text and draws images. Close it to free
 * native memory. Obtain one from {@link Transfusion#load(java.nio.file.Path)}.
 */
public interface TransfusionModel extends AutoCloseable {

    /** Continues {@code prompt} with text, images or both, as {@code options.mode()} says. */
    GenerationResult generate(Document prompt, GenerationOptions options, GenerationListener listener,
                              Cancellation cancellation);

    /** Continues {@code prompt} with the given options and no listener. */
    default GenerationResult generate(Document prompt, GenerationOptions options) {
        return generate(prompt, options, GenerationListener.NONE, new Cancellation());
    }

    /**
     * Continues every prompt with the same options, results in prompt order. This loops over
     * {@link #generate(Document, GenerationOptions)}; an engine that batches runs the prompts at the same time,
     * their steps sharing forward passes, with the same results a seed as one by one. With a seed s, prompt i
     * uses seed s + i (as {@code generate --seed} numbers its images), so that equal prompts differ.
     */
    default java.util.List<GenerationResult> generateAll(java.util.List<Document> prompts, GenerationOptions options) {
        java.util.List<GenerationResult> out = new java.util.ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            out.add(generate(prompts.get(i), GenerationOptions.forPrompt(options, i)));
        }
        return out;
    }

    /**
     * Asks to be told the size of each forward pass (the requests it ran together), for metrics; false when
     * this model does not batch (every pass is one request's).
     */
    default boolean observeForwardPasses(java.util.function.IntConsumer requestsPerPass) {
        return false;
    }

    /** Describes {@code image} in text. */
    String caption(RgbImage image, GenerationOptions options);

    /** Answers {@code question} about {@code image}. */
    String answer(RgbImage image, String question, GenerationOptions options);

    /**
     * Describes a part of any continuous modality the model reads (an image, an audio clip, ...), stopping once
     * {@code cancellation} is set.
     *
     * @throws InvalidInputException when the model does not read the part's modality
     */
    default String caption(Part part, GenerationOptions options, Cancellation cancellation) {
        if (part instanceof ImagePart image) {
            return caption(image.image(), options);
        }
        throw new InvalidInputException("this model captions images only, not '" + part.modality() + "'");
    }

    /** Answers {@code question} about a part of any continuous modality the model reads. */
    default String answer(Part part, String question, GenerationOptions options, Cancellation cancellation) {
        if (part instanceof ImagePart image) {
            return answer(image.image(), question, options);
        }
        throw new InvalidInputException("this model answers about images only, not '" + part.modality() + "'");
    }

    /** The log-likelihood of {@code text} after {@code context}, token by token (for perplexity). */
    TextScore scoreText(Document context, String text);

    /**
     * As {@link #scoreText(Document, String)}, stopping while the context is encoded once {@code cancellation}
     * is set. A model that cannot stop early scores in full.
     *
     * @throws java.util.concurrent.CancellationException when it stopped early
     */
    default TextScore scoreText(Document context, String text, Cancellation cancellation) {
        return scoreText(context, text);
    }

    /**
     * The diffusion loss of {@code image} after {@code caption} at the given steps t (0..T-1), with noise
     * drawn from {@code seed} so that scores are comparable between images.
     */
    ImageScore scoreImage(String caption, RgbImage image, int[] timesteps, long seed);

    /**
     * As {@link #scoreImage(String, RgbImage, int[], long)}, stopping between timesteps once
     * {@code cancellation} is set (a deadline, a client gone). A model that cannot stop early scores in full.
     *
     * @throws java.util.concurrent.CancellationException when it stopped early
     */
    default ImageScore scoreImage(String caption, RgbImage image, int[] timesteps, long seed,
                                  Cancellation cancellation) {
        return scoreImage(caption, image, timesteps, seed);
    }

    /** The model's configuration and plugins. */
    ModelInfo info();

    /** Frees native memory; the model cannot be used afterwards. */
    @Override
    void close();
}
