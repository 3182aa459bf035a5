package dev.transfusion.api;

/**
 * What a generation consumed and produced.
 *
 * @param promptTokens    positions the prompt took (text tokens and image patches)
 * @param generatedTokens text tokens generated
 * @param images          images generated
 * @param seed            the seed that was used, to reproduce the result
 */
public record Usage(int promptTokens, int generatedTokens, int images, long seed) {
}
