package dev.transfusion.samples.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Answers a usage error (unknown command, bad or missing option) with the problem, picocli's "Did you mean"
 * suggestions when it has some, and the usage of the command at fault, all on stderr; exit code 2.
 *
 * <p>Picocli's own handler drops the usage when it has a suggestion; the usage stays here, so that every usage
 * error shows what the command accepts.
 */
final class UsageErrorReport implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getColorScheme().errorText(ex.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        command.usage(err, command.getColorScheme());
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }
}
