package dev.transfusion.samples.cli;

import dev.transfusion.core.CpuBackend;
import dev.transfusion.core.plugin.PluginDiscovery;
import java.nio.file.Path;
import dev.transfusion.core.EngineSettings;

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
            AblateCommand.class,
            TokenizeCommand.class,
            TrainVaeCommand.class,
            TrainCodecCommand.class,
            VaeRoundtripCommand.class,
            TrainCommand.class,
            ParityCommand.class,
            CompleteCommand.class,
            GenerateCommand.class,
            CaptionCommand.class,
            AnswerCommand.class,
            EvalCommand.class,
            ExportCommand.class,
            BenchCommand.class,
            ServeCommand.class,
            PluginsCommand.class,
            CommandLine.HelpCommand.class,
        },
        footer = {"", "Exit codes: 0 success, 1 failure (error on stderr), 2 usage error."})
public final class TransfusionCli {

    /** The option that adds stack traces to error messages. */
    static final String VERBOSE = "--verbose";

    // Read through the parse result by ErrorReport; INHERIT lets it stand before or after the subcommand.
    @Option(names = VERBOSE, scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    boolean verbose;

    /** Plugin jars from a directory, loaded without rebuilding (the engine reads the property on first use). */
    @Option(names = "--plugins", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Also load the modality plugin jars in DIR (default: $" + PluginDiscovery.ENVIRONMENT + ").")
    void plugins(Path dir) {
        System.setProperty(PluginDiscovery.PROPERTY, dir.toString());
    }

    /** Runs the command line on the process's streams and exits with its code. */
    public static void main(String[] args) {
        // the oneDNN natives and quiet logs unless the user set them (the engine applies them too, when found)
        EngineSettings.applyBeforeNd4j();
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

    /**
     * Runs another subcommand on the same terminal, as a step of {@code owner} (demo, ablate); its failure is the
     * owner's failure.
     */
    static void runStep(Terminal terminal, String owner, java.util.List<String> args) {
        CommandLine cli = commandLine(terminal);
        int code = cli.execute(args.toArray(String[]::new));
        if (code != 0) {
            throw new CommandLine.ExecutionException(cli, owner + " step '" + String.join(" ", args) + "' failed (exit "
                    + code + ")");
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
