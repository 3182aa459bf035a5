/**
 * The {@code transfusion} command line: {@link dev.transfusion.samples.cli.TransfusionCli} is the top command,
 * one class per subcommand (such as {@link dev.transfusion.samples.cli.TokenizeCommand}). Built on picocli;
 * commands do their work through the public API ({@code dev.transfusion.api}) only.
 */
package dev.transfusion.samples.cli;
