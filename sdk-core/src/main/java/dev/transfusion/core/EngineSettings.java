package dev.transfusion.core;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The engine's own process settings, applied by the SDK so that a plain {@code java -cp} program runs as
 * {@code ./transfusion} does: the oneDNN natives, quiet logs (no ND4J start-up banner) and one OpenMP
 * thread. Each yields to what the user set: a {@code -D} system property, {@code OMP_NUM_THREADS}, or
 * {@code -Dtransfusion.threads=N}.
 *
 * <p>Measured in-process (a matrix product and element-wise ops, threads that took CPU time): without a
 * limit 2-4 threads ran them on the 2-core machine; after {@link CpuBackend#limitThreads} one did, on the
 * calling thread and on a thread started later alike, as with {@code OMP_NUM_THREADS=1} set by the launcher.
 */
public final class EngineSettings {
    /** The system property that sets the engine's thread count (else {@code OMP_NUM_THREADS}, else 1). */
    public static final String THREADS = "transfusion.threads";
    /**
     * The system property that sets how many threads a generation pass splits its rows over (else one per
     * available processor, at most {@link #MAX_GENERATION_THREADS}).
     */
    public static final String GENERATION_THREADS = "transfusion.generationThreads";
    /** The default's cap: measured on two cores only, and a pass of a few dozen rows has little more to split. */
    static final int MAX_GENERATION_THREADS = 4;
    /** The JavaCPP property that picks a native build; "-onednn" selects nd4j's oneDNN natives. */
    public static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    // slf4j-simple reads these when its first logger is made: ND4J's banner logs at info, its importer warns
    private static final Map<String, String> LOG_LEVELS = Map.of(
            "org.slf4j.simpleLogger.defaultLogLevel", "warn",
            "org.slf4j.simpleLogger.log.org.nd4j.imports", "error");
    private static volatile boolean threadsApplied;

    private EngineSettings() {
    }

    /**
     * Sets the natives and log levels the user has not set. Has effect only before ND4J loads and before
     * slf4j makes its first logger, so the engine calls it when it is found, before any of its own work.
     */
    public static void applyBeforeNd4j() {
        LOG_LEVELS.forEach((key, level) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, level);
            }
        });
        CpuBackend.preferOneDnn();
    }

    /** Caps ND4J's threads at {@link #threads()} once, unless {@link CpuBackend#limitThreads} already ran. */
    public static void applyThreads() {
        if (threadsApplied || CpuBackend.threadsLimited()) {
            return;
        }
        synchronized (EngineSettings.class) {
            if (!threadsApplied && !CpuBackend.threadsLimited()) {
                CpuBackend.limitThreads(threads());
                threadsApplied = true;
            }
        }
    }

    /** {@code -Dtransfusion.threads}, else {@code OMP_NUM_THREADS}, else 1 (see CpuBackend for why one). */
    public static int threads() {
        return threads(System.getProperty(THREADS), System.getenv("OMP_NUM_THREADS"));
    }

    static int threads(@Nullable String property, @Nullable String environment) {
        if (property != null) {
            return parse(property, "-D" + THREADS);
        }
        if (environment != null && !environment.isBlank()) {
            // OpenMP allows a list ("4,2" for nested levels): the first entry is the outer level's count
            return parse(environment.split(",")[0], "OMP_NUM_THREADS");
        }
        return 1;
    }

    /** {@code -Dtransfusion.generationThreads}, else the available processors up to {@link #MAX_GENERATION_THREADS}. */
    public static int generationThreads() {
        return generationThreads(System.getProperty(GENERATION_THREADS), Runtime.getRuntime().availableProcessors());
    }

    static int generationThreads(@Nullable String property, int processors) {
        return property != null ? parse(property, "-D" + GENERATION_THREADS)
                : Math.max(1, Math.min(processors, MAX_GENERATION_THREADS));
    }

    private static int parse(String value, String source) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(source + " is '" + value + "'; expected a whole number of threads, at least 1");
    }
}
