package dev.transfusion.samples.cli;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.spi.Tokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code transfusion tokenize}: standard input to token ids, or ids back to text with {@code --decode}.
 *
 * <p>All of standard input is one text, newlines included, so {@code tokenize | tokenize --decode} gives
 * back the input byte for byte (for valid UTF-8). The tokenizer is loaded through the API, so any format
 * the "text" plugin reads works.
 */
@Command(
        name = "tokenize",
        description = {
            "Encode standard input to token ids (separated by spaces), or decode ids back to text.",
            "All of the input is one text, newlines included, so decoding the ids gives back the input exactly."
        })
public final class TokenizeCommand implements Callable<Integer> {

    @Option(names = "--tokenizer", required = true, paramLabel = "PATH",
            description = "A tokenizer directory or file in any format the text plugin reads "
                    + "(tokenizer.json, GPT-2 encoder.json + vocab.bpe, or a directory holding them).")
    Path tokenizer;

    @Option(names = "--decode",
            description = "Read token ids (separated by whitespace or commas; brackets are ignored) and print the text.")
    boolean decode;

    private final Terminal terminal;

    /** The command, reading and writing through {@code terminal}. */
    public TokenizeCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        // load first: a wrong path fails at once instead of after the user has typed their input
        Tokenizer tok = Transfusion.registry().discrete("text").loadTokenizer(tokenizer);
        if (terminal.interactive()) {
            terminal.err().println("reading " + (decode ? "token ids" : "text") + " from standard input; end it with Ctrl-D");
        }
        String input = terminal.readAllInput();
        if (decode) {
            // no newline added: the ids carry the input's own newlines
            terminal.out().print(tok.decode(parseIds(input)));
        } else {
            terminal.out().println(join(tok.encode(input)));
        }
        terminal.out().flush();
        return 0;
    }

    /** The ids in {@code text}: integers separated by whitespace or commas, optionally inside brackets. */
    static int[] parseIds(String text) {
        String[] words = text.replace('[', ' ').replace(']', ' ').trim().split("[\\s,]+");
        if (words.length == 1 && words[0].isEmpty()) {
            return new int[0];
        }
        int[] ids = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            try {
                ids[i] = Integer.parseInt(words[i]);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("--decode reads token ids, but input word " + (i + 1) + " is '"
                        + abbreviate(words[i]) + "'; expected integers separated by spaces");
            }
        }
        return ids;
    }

    private static String join(int[] ids) {
        StringJoiner j = new StringJoiner(" ");
        Arrays.stream(ids).forEach(id -> j.add(Integer.toString(id)));
        return j.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
