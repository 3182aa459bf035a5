package dev.transfusion.samples.cli;

import dev.transfusion.api.TransfusionException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns an exception thrown by a command into exit code 1 and a message on stderr.
 *
 * <p>The SDK's exceptions (and I/O failures) describe a problem the user can fix, and their message already
 * names the file or option at fault, so they print as one line {@code error: <message>} (so does a checked
 * {@link IOException}: a full disk or a missing permission is the machine's state, not a bug); {@code --verbose}
 * adds the stack trace. Anything else is a bug in the command line or the SDK: its stack trace is printed
 * always, because that is what a bug report needs.
 */
final class ErrorReport implements CommandLine.IExecutionExceptionHandler {

    /** The exit code of a command that failed. */
    static final int EXIT_FAILURE = CommandLine.ExitCode.SOFTWARE;

    @Override
    public int handleExecutionException(Exception ex, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (ex instanceof TransfusionException || ex instanceof UncheckedIOException || ex instanceof IOException) {
            // a checked I/O error's message is often just a path: its type says what went wrong
            err.println("error: " + (ex instanceof IOException ? ex.getClass().getSimpleName() + ": " : "") + message(ex));
            if (verbose(parsed)) {
                ex.printStackTrace(err);
            }
        } else {
            err.println("error: unexpected " + ex.getClass().getName() + ": " + message(ex)
                    + " (a bug; please report it with the stack trace below)");
            ex.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    private static String message(Exception ex) {
        String m = ex.getMessage();
        return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
    }

    // --verbose is inherited by every subcommand: look for it at each level the user typed
    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption(TransfusionCli.VERBOSE)) {
                return true;
            }
        }
        return false;
    }
}
