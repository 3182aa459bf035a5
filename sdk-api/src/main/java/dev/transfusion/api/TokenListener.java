package dev.transfusion.api;

/** A single-method listener of generated text tokens (a lambda in Java and Kotlin). */
@FunctionalInterface
public interface TokenListener {
    /** A text token was produced. */
    void onToken(int tokenId, String text);
}
