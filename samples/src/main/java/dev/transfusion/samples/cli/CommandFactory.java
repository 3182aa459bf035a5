package dev.transfusion.samples.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import picocli.CommandLine;

/**
 * Creates picocli commands, handing a {@link Terminal} to those whose constructor takes one. A new command
 * declares {@code public MyCommand(Terminal terminal)} and reads and writes only through it; classes without
 * such a constructor (picocli's own {@code HelpCommand}, converters) are made by picocli's default factory.
 */
final class CommandFactory implements CommandLine.IFactory {
    private final Terminal terminal;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    CommandFactory(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        Constructor<K> withTerminal;
        try {
            withTerminal = type.getDeclaredConstructor(Terminal.class);
        } catch (NoSuchMethodException e) {
            return fallback.create(type);
        }
        try {
            return withTerminal.newInstance(terminal);
        } catch (InvocationTargetException e) {
            // the constructor's own failure, not reflection's wrapper
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
