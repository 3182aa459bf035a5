package dev.transfusion.core.plugin;

import dev.transfusion.api.PluginException;
import dev.transfusion.api.spi.ModalityPlugin;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Finds modality plugins with {@link ServiceLoader}: on the class path, and in the jars of a plugin directory
 * ({@value #PROPERTY} system property, else the {@value #ENVIRONMENT} environment variable), so that a plugin
 * jar dropped there is used without rebuilding. A provider that cannot be loaded (a missing class, a Kotlin
 * {@code object}, a constructor that throws) becomes one {@link Failure} naming its jar and the reason, and the
 * other plugins keep working.
 */
public final class PluginDiscovery {
    /** The system property naming a directory of plugin jars (set by the command line's {@code --plugins}). */
    public static final String PROPERTY = "transfusion.plugins";
    /** The environment variable naming a directory of plugin jars. */
    public static final String ENVIRONMENT = "TRANSFUSION_PLUGINS";

    /** A plugin and where it was loaded from (a jar or a class folder). */
    public record Found(ModalityPlugin plugin, String source) {
    }

    /** A provider that could not be loaded: where it was listed and why. */
    public record Failure(String source, String reason) {
        @Override
        public String toString() {
            return "plugin in " + source + " could not be loaded: " + reason;
        }
    }

    /** What a discovery found. */
    public record Result(List<Found> plugins, List<Failure> failures) {
        /** The plugins alone. */
        public List<ModalityPlugin> instances() {
            return plugins.stream().map(Found::plugin).toList();
        }
    }

    private PluginDiscovery() {
    }

    /** The plugin directory this process names, or null. */
    public static @Nullable Path directory() {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv(ENVIRONMENT);
        }
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    /** The plugins on the class path and in {@link #directory()}. */
    public static Result discover() {
        return discover(directory());
    }

    /** The plugins on the class path and in the jars of {@code dir} (when not null). */
    public static Result discover(@Nullable Path dir) {
        List<Failure> failures = new ArrayList<>();
        ClassLoader parent = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = dir == null ? parent : jars(dir, parent);
        List<Found> found = new ArrayList<>();
        Iterator<ModalityPlugin> it = ServiceLoader.load(ModalityPlugin.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                ModalityPlugin p = it.next();
                found.add(new Found(p, source(p.getClass())));
            } catch (ServiceConfigurationError | LinkageError e) {
                // ServiceLoader's iterator goes on to the next provider after an error
                failures.add(failure(e, loader));
            }
        }
        return new Result(List.copyOf(found), List.copyOf(failures));
    }

    private static ClassLoader jars(Path dir, ClassLoader parent) {
        if (!Files.isDirectory(dir)) {
            throw new PluginException("plugin directory " + dir + " (from --plugins, -D" + PROPERTY + " or "
                    + ENVIRONMENT + ") does not exist or is not a directory");
        }
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                urls.add(jar.toUri().toURL());
            }
        } catch (IOException e) {
            throw new PluginException("plugin directory " + dir + " cannot be listed: " + e.getMessage(), e);
        }
        return new URLClassLoader("transfusion-plugins", urls.toArray(URL[]::new), parent);
    }

    private static String source(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        return cs == null || cs.getLocation() == null ? "(unknown)" : pathOf(cs.getLocation());
    }

    private static String pathOf(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (Exception e) {
            return url.toString();
        }
    }

    /**
     * The failure of one provider, from ServiceLoader's message ("SERVICE: Provider X not found", "SERVICE: X Unable
     * to get public no-arg constructor", "SERVICE: Provider X could not be instantiated" with a cause).
     */
    private static Failure failure(Throwable e, ClassLoader loader) {
        String message = String.valueOf(e.getMessage());
        String prefix = ModalityPlugin.class.getName() + ": ";
        String rest = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        if (rest.startsWith("Provider ")) {
            rest = rest.substring("Provider ".length());
        }
        String provider = rest.split("\\s")[0];
        String said = rest.substring(provider.length()).trim();
        String reason;
        if (said.contains("no-arg constructor")) {
            reason = "class " + provider + " has no public no-argument constructor (a Kotlin 'object' has none: "
                    + "declare a class instead)";
        } else if (said.startsWith("not found")) {
            reason = "class " + provider + " is listed in META-INF/services but is not in the jar";
        } else {
            reason = provider + " " + said + (e.getCause() != null ? ": " + e.getCause() : "");
        }
        return new Failure(listing(provider, loader), reason);
    }

    /** The jar or folder whose services file names {@code provider}. */
    private static String listing(String provider, ClassLoader loader) {
        try {
            var files = loader.getResources("META-INF/services/" + ModalityPlugin.class.getName());
            while (files.hasMoreElements()) {
                URL f = files.nextElement();
                try (var in = f.openStream()) {
                    if (new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains(provider)) {
                        String s = f.toString();
                        int bang = s.indexOf("!/");
                        return bang > 0 && s.startsWith("jar:") ? pathOf(new URL(s.substring(4, bang))) : s;
                    }
                }
            }
        } catch (IOException e) {
            // fall through: the name alone still helps
        }
        return "(the jar listing " + provider + ")";
    }
}
