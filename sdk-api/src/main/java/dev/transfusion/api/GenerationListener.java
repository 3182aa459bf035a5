package dev.transfusion.api;

/**
 * Receives generation progress as it happens. Both methods have empty defaults, so a lambda or an
 * object overriding only one works; see {@link TokenListener} and {@link DiffusionListener} for the
 * single-method forms. Call {@link Cancellation#cancel()} on the token given to the generate call to stop early.
 */
public interface GenerationListener {
    /** Does nothing. */
    GenerationListener NONE = new GenerationListener() { };

    /** A text token was produced; {@code text} is its decoded text (may be empty mid-character). */
    default void onToken(int tokenId, String text) {
    }

    /** One denoising step of an image finished. */
    default void onDiffusionStep(DiffusionStep step) {
    }

    /**
     * A span was drawn and decoded (an image, an audio clip, ...), before generation goes on: a listener can show it
     * at once, and the text after it streams in place. {@code index} counts the answer's spans from 0; the same
     * part is in the result's parts.
     */
    default void onPart(int index, Part part) {
    }

    /** A listener of tokens only. */
    static GenerationListener ofTokens(TokenListener l) {
        return new GenerationListener() {
            @Override
            public void onToken(int tokenId, String text) {
                l.onToken(tokenId, text);
            }
        };
    }

    /** A listener of diffusion steps only. */
    static GenerationListener ofDiffusion(DiffusionListener l) {
        return new GenerationListener() {
            @Override
            public void onDiffusionStep(DiffusionStep step) {
                l.onDiffusionStep(step);
            }
        };
    }
}
