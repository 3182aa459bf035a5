package dev.transfusion.samples.cli;

import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.ModalityPlugin;
import dev.transfusion.core.plugin.PluginDiscovery;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code transfusion plugins}: the modality plugins this process finds (class path and plugin directory), one
 * tab-separated line each, and every plugin that failed to load.
 */
@Command(
        name = "plugins",
        description = {
            "List the modality plugins: name, kind, version, tokens and where each was loaded from.",
            "Plugins come from the class path and from the jars in the plugin directory (--plugins DIR or "
                    + PluginDiscovery.ENVIRONMENT + ").",
            "A plugin that cannot be loaded is listed on stderr with the reason; the exit code is then 1."
        })
public final class PluginsCommand implements Callable<Integer> {
    private final Terminal terminal;

    /** The command, writing through {@code terminal}. */
    public PluginsCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        PluginDiscovery.Result r = PluginDiscovery.discover();
        terminal.out().println("modality\tkind\tversion\ttokens\tloaded from");
        r.plugins().stream().sorted(Comparator.comparing(f -> f.plugin().modality())).forEach(f ->
                terminal.out().println(String.join("\t", f.plugin().modality(), kind(f.plugin()), f.plugin().version(),
                        tokens(f.plugin()), f.source())));
        for (PluginDiscovery.Failure failure : r.failures()) {
            terminal.err().println("error: " + failure);
        }
        terminal.out().flush();
        return r.failures().isEmpty() ? 0 : 1;
    }

    private static String kind(ModalityPlugin p) {
        return p instanceof ContinuousModalityPlugin ? "continuous" : "discrete";
    }

    private static String tokens(ModalityPlugin p) {
        return p instanceof ContinuousModalityPlugin c ? c.beginToken() + " " + c.endToken() : "-";
    }
}
