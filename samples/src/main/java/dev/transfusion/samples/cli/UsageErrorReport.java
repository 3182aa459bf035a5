package dev.transfusion.samples.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Answers a usage error (unknown command, bad or missing option) with the problem, picocli's "Did you mean"
 * suggestions when it has some, and the usage of the command at fault, all on stderr; exit code 2.
 *
 * <p>Picocli's own handler drops the usage when it has a suggestion; the usage stays here, so that every usage
 * error shows what the command accepts. Picocli checks required options before it complains about unknown
 * ones, so {@code --modle x} would be reported as a missing {@code --model}: an unknown option is named first.
 */
final class UsageErrorReport implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        if (ex instanceof CommandLine.MissingParameterException) {
            List<String> unknown = unknownOptions(command, args);
            if (!unknown.isEmpty()) {
                ex = new CommandLine.UnmatchedArgumentException(command, unknown);
            }
        }
        PrintWriter err = command.getErr();
        err.println(command.getColorScheme().errorText(ex.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        command.usage(err, command.getColorScheme());
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The words of {@code args} that look like options but that {@code command} (and its parents) do not know. */
    static List<String> unknownOptions(CommandLine command, String[] args) {
        List<String> unknown = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (!arg.startsWith("--") || arg.length() < 3) {
                continue;   // values and short options: picocli's own checks cover them
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!known(command, name)) {
                unknown.add(arg);
            }
        }
        return unknown;
    }

    private static boolean known(CommandLine command, String name) {
        for (CommandLine c = command; c != null; c = c.getParent()) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (List.of(o.names()).contains(name)) {
                    return true;
                }
            }
        }
        return false;
    }
}
