package dev.transfusion.samples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The standard streams as the commands see them. Commands take one in their constructor (see
 * {@link CommandFactory}) instead of touching {@code System.in/out/err}, so that tests run them in-process
 * with captured streams.
 *
 * <p>Text is always UTF-8, whatever the platform's default charset: under a POSIX locale (as on many CI
 * machines) Java 17 would otherwise write decoded text as ASCII with {@code ?} in place of other characters.
 *
 * @param in          standard input, read as UTF-8 bytes
 * @param out         results only, so that output can be piped into another program
 * @param err         usage, errors, progress and hints
 * @param interactive whether a person is at a terminal (both stdin and stdout are one); commands may show
 *                    a progress bar or a hint then, and plain lines otherwise
 */
public record Terminal(InputStream in, PrintWriter out, PrintWriter err, boolean interactive) {

    /** The process's own streams. */
    public static Terminal system() {
        return new Terminal(System.in, utf8(System.out), utf8(System.err), System.console() != null);
    }

    /** Streams for tests and embedding: {@code in} as input, output into the given print streams. */
    public static Terminal of(InputStream in, PrintStream out, PrintStream err) {
        return new Terminal(in, utf8(out), utf8(err), false);
    }

    /** All of standard input as text, decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String readAllInput() {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        }
    }

    /** Writes out anything buffered on both output streams. */
    public void flush() {
        out.flush();
        err.flush();
    }

    private static PrintWriter utf8(PrintStream stream) {
        // autoflush on println keeps stderr lines and stdout results in order on a terminal
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
