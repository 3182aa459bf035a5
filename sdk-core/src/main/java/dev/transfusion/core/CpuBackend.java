package dev.transfusion.core;

import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How ND4J runs the VAE's convolutions on the CPU. Measured on the project's 2-core machine while other
 * builds ran (a 16/32-wide VAE step, batch 32): the default native build took 2-5 s a step, the oneDNN
 * build ({@code nd4j-native:linux-x86_64-onednn}, a dependency of this plugin) 0.1-0.4 s with one thread;
 * with two threads under load steps took 1-2.5 s, as OpenMP threads wait for each other when the other
 * processes take a core. The transformer's training step gained alike (bench train 4.5 s against 21 s a
 * step under load). The engine selects oneDNN and one thread when it starts ({@link EngineSettings}).
 */
public final class CpuBackend {
    private static final String ONEDNN_EXTENSION = "-onednn";
    private static final String BINDINGS = "org/nd4j/linalg/cpu/nativecpu/bindings/";

    private static volatile boolean threadsLimited;

    private CpuBackend() {
    }

    /** Whether {@link #limitThreads} ran in this process (the engine's default then stays out of the way). */
    public static boolean threadsLimited() {
        return threadsLimited;
    }

    /**
     * Selects the oneDNN native build when it is on the class path. Has effect only before ND4J's first use
     * in the process (the natives load once); returns whether the build was selected.
     */
    public static boolean preferOneDnn() {
        String key = "org.bytedeco.javacpp.platform.extension";
        if (System.getProperty(key) != null) {
            return ONEDNN_EXTENSION.equals(System.getProperty(key));
        }
        // the oneDNN natives of this platform (linux, macOS and Windows x86_64 have them; arm64 does not)
        String dir = BINDINGS + Loader.getPlatform() + ONEDNN_EXTENSION + "/";
        ClassLoader loader = CpuBackend.class.getClassLoader();
        if (loader.getResource(dir + "libjnind4jcpu.so") == null && loader.getResource(dir + "libjnind4jcpu.dylib") == null
                && loader.getResource(dir + "jnind4jcpu.dll") == null) {
            return false;
        }
        System.setProperty(key, ONEDNN_EXTENSION);
        return true;
    }

    /** Caps ND4J's OpenMP and its own thread pools at {@code threads} for work started by the calling thread. */
    public static void limitThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        // Nd4j first: it loads the backend, which NativeOpsHolder needs to find its properties
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        threadsLimited = true;
    }

    /**
     * Lets matrix products use {@code threads} while ND4J's own operations keep the {@link #limitThreads}
     * count (call it after that). ND4J's bundled OpenBLAS runs on OpenMP, so this raises OpenMP's thread count
     * and keeps ND4J's own thread limit: measured on 2 idle cores, sgemm went from ~190 to ~380 GFLOP/s
     * with 2 (docs/performance.md). The process must start with OMP_NUM_THREADS at least {@code threads}.
     */
    public static void blasThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("BLAS threads must be at least 1, got " + threads);
        }
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
