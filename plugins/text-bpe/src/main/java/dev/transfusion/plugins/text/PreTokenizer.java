package dev.transfusion.plugins.text;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's split of text into words before BPE: contractions, letter runs, number runs, punctuation runs,
 * each with at most one leading space, and whitespace. Merges never cross these boundaries.
 *
 * <p>{@code UNICODE_CHARACTER_CLASS} makes {@code \s} the Unicode White_Space property, as in the Python
 * {@code regex} module of OpenAI's original encoder, tiktoken and Hugging Face tokenizers (without it Java's
 * {@code \s} is ASCII only). The JavaScript port differs on two characters only: its {@code \s} also matches
 * U+FEFF and does not match U+0085.
 */
final class PreTokenizer {
    /** The pattern of OpenAI's GPT-2 {@code encoder.py}. */
    static final String GPT2_PATTERN =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private static final Pattern GPT2 = Pattern.compile(GPT2_PATTERN, Pattern.UNICODE_CHARACTER_CLASS);

    private PreTokenizer() {}

    /**
     * Calls {@code word} with each word of {@code text}, in order. The words cover the text exactly: every
     * character, lone surrogates included, matches one of the alternatives.
     */
    static void split(String text, Consumer<String> word) {
        Matcher m = GPT2.matcher(text);
        while (m.find()) {
            word.accept(m.group());
        }
    }
}
