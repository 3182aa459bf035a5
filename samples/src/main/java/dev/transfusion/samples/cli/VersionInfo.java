package dev.transfusion.samples.cli;

import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** What {@code transfusion --version} prints: this build's version, the engine found, and the Java runtime. */
final class VersionInfo implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "transfusion " + buildVersion(),
            "engine: " + engine(),
            "java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")",
        };
    }

    /** The Maven project version, written into a resource at build time. */
    static String buildVersion() {
        Properties p = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return p.getProperty("version", "unknown");
    }

    private static String engine() {
        try {
            return Transfusion.engine().name();
        } catch (TransfusionException e) {
            // --version must still answer on a broken class path; the message says what is missing
            return "none (" + e.getMessage() + ")";
        }
    }
}
