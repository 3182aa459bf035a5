package dev.transfusion.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.PluginException;
import dev.transfusion.api.spi.DiscreteModalityPlugin;
import dev.transfusion.api.spi.ModalityPlugin;
import dev.transfusion.api.spi.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin jars dropped into a directory are found without rebuilding, and a provider that cannot load (a class
 * missing from its jar, a Kotlin-object-like class without a public constructor) is one failure naming its jar
 * while the other plugins still load.
 */
class PluginDiscoveryTest {
    @TempDir
    Path dir;

    /** Like a Kotlin {@code object}: the only constructor is private. */
    public static final class NoPublicConstructor implements DiscreteModalityPlugin {
        private NoPublicConstructor() {
        }

        @Override
        public Tokenizer loadTokenizer(Path path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Tokenizer trainTokenizer(Iterable<String> texts, int vocabSize, List<String> specialTokens) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String modality() {
            return "broken";
        }

        @Override
        public String version() {
            return "0";
        }

        @Override
        public String description() {
            return "cannot be instantiated by ServiceLoader";
        }
    }

    @Test
    void aJarInThePluginDirectoryIsLoadedAndBrokenProvidersAreNamed() throws Exception {
        Path good = jarWithCompiledPlugin(dir.resolve("hum-plugin.jar"));
        Path broken = jar(dir.resolve("broken-plugin.jar"),
                "com.example.Missing\n" + NoPublicConstructor.class.getName() + "\n");
        PluginDiscovery.Result r = PluginDiscovery.discover(dir);

        PluginDiscovery.Found hum = r.plugins().stream().filter(f -> f.plugin().modality().equals("hum"))
                .findFirst().orElseThrow(() -> new AssertionError("hum not found: " + r));
        assertEquals(good.toString(), hum.source());
        assertTrue(r.plugins().stream().noneMatch(f -> f.plugin().modality().equals("broken")));
        assertEquals(2, r.failures().size(), r.failures().toString());
        assertEquals(new PluginDiscovery.Failure(broken.toString(),
                "class com.example.Missing is listed in META-INF/services but is not in the jar"), r.failures().get(0));
        assertEquals(new PluginDiscovery.Failure(broken.toString(), "class " + NoPublicConstructor.class.getName()
                + " has no public no-argument constructor (a Kotlin 'object' has none: declare a class instead)"),
                r.failures().get(1));
    }

    @Test
    void aPluginDirectoryThatDoesNotExistIsNamed() {
        Path nowhere = dir.resolve("none");
        assertEquals("plugin directory " + nowhere + " (from --plugins, -Dtransfusion.plugins or TRANSFUSION_PLUGINS)"
                + " does not exist or is not a directory",
                assertThrows(PluginException.class, () -> PluginDiscovery.discover(nowhere)).getMessage());
    }

    /** A jar holding only a services file that lists {@code providers}. */
    private static Path jar(Path file, String providers) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new JarEntry("META-INF/services/" + ModalityPlugin.class.getName()));
            out.write(providers.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /** A plugin compiled here, so that it is on no class path: only the directory can bring it in. */
    private Path jarWithCompiledPlugin(Path file) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/hum"));
        Files.writeString(src.resolve("HumPlugin.java"), """
                package hum;
                public final class HumPlugin implements dev.transfusion.api.spi.DiscreteModalityPlugin {
                    public dev.transfusion.api.spi.Tokenizer loadTokenizer(java.nio.file.Path p) { return null; }
                    public dev.transfusion.api.spi.Tokenizer trainTokenizer(Iterable<String> t, int v,
                            java.util.List<String> s) { return null; }
                    public String modality() { return "hum"; }
                    public String version() { return "1.0"; }
                    public String description() { return "a plugin from a dropped jar"; }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), src.resolve("HumPlugin.java").toString());
        assertEquals(0, rc, "javac");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new JarEntry("hum/HumPlugin.class"));
            out.write(Files.readAllBytes(classes.resolve("hum/HumPlugin.class")));
            out.putNextEntry(new JarEntry("META-INF/services/" + ModalityPlugin.class.getName()));
            out.write("hum.HumPlugin\n".getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
