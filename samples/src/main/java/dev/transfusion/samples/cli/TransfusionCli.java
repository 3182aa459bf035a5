package dev.transfusion.samples.cli;

import dev.transfusion.core.CpuBackend;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code transfusion} command line, run by {@code ./transfusion} at the repository root.
 *
 * <p>Each subcommand is one class with a {@code public X(Terminal)} constructor, listed in
 * {@code subcommands} below. Exit codes: 0 success, 1 the work failed ({@code error: <message>} on stderr),
 * 2 a usage error (unknown command, bad or missing option; the usage goes to stderr).
 *
 * <p>This class runs no work of its own: picocli then treats a missing subcommand as a usage error.
 */
@Command(
        name = "transfusion",
        description = "Train and run Transfusion models (text and images in one transformer) on the JVM.",
        // INHERIT: every subcommand gets --help and --version without declaring them
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        subcommands = {
            DemoCommand.class,
            TokenizeCommand.class,
            TrainVaeCommand.class,
            VaeRoundtripCommand.class,
            TrainCommand.class,
            ParityCommand.class,
            CompleteCommand.class,
            GenerateCommand.class,
            CaptionCommand.class,
            AnswerCommand.class,
            EvalCommand.class,
            BenchCommand.class,
            ServeCommand.class,
            CommandLine.HelpCommand.class,
        },
        footer = {"", "Exit codes: 0 success, 1 failure (error on stderr), 2 usage error."})
public final class TransfusionCli {

    /** The option that adds stack traces to error messages. */
    static final String VERBOSE = "--verbose";

    // Read through the parse result by ErrorReport; INHERIT lets it stand before or after the subcommand.
    @Option(names = VERBOSE, scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    boolean verbose;

    /** Runs the command line on the process's streams and exits with its code. */
    public static void main(String[] args) {
        // ./transfusion sets these already; a run from an IDE or `java -cp` would otherwise print nd4j's banners
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // the oneDNN natives and one OpenMP thread unless the environment says otherwise (see CpuBackend)
        CpuBackend.preferOneDnn();
        System.exit(run(Terminal.system(), args));
    }

    /** Runs the command line on the given streams and returns the exit code; never calls {@code System.exit}. */
    public static int run(Terminal terminal, String... args) {
        try {
            return commandLine(terminal).execute(args);
        } finally {
            terminal.flush();
        }
    }

    /** The configured picocli command line, writing to {@code terminal}. */
    public static CommandLine commandLine(Terminal terminal) {
        CommandLine cli = new CommandLine(new TransfusionCli(), new CommandFactory(terminal));
        // set after the subcommands exist, so that they inherit the streams and the handler
        cli.setOut(terminal.out());
        cli.setErr(terminal.err());
        cli.setExecutionExceptionHandler(new ErrorReport());
        cli.setParameterExceptionHandler(new UsageErrorReport());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        HelpLayout.install(cli);
        return cli;
    }
}
