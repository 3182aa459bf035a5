package dev.transfusion.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns SIGTERM and SIGINT into a call of one action instead of the JVM's own exit. Left to the JVM, a signal
 * runs the shutdown hooks and then exits with 128 + the signal (143 for SIGTERM), which orchestrators and
 * service managers read as a failure even after a clean drain; handled here, the server drains and the process
 * exits 0.
 *
 * <p>The handler API is {@code sun.misc.Signal} (module jdk.unsupported, present in every OpenJDK build). It is
 * reached by reflection so that the build has no internal-API warning and so that a JVM without it only loses the
 * exit code: the launcher's shutdown hook still drains.
 */
final class StopSignals {
    private static final List<String> NAMES = List.of("TERM", "INT");

    private StopSignals() {
    }

    /** Puts the handlers that were there before back; does nothing when none were installed. */
    interface Installed extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Runs {@code onSignal} (on the JVM's signal thread, so it must return quickly) at every SIGTERM or SIGINT
     * until the result is closed. When the handlers cannot be installed, the JVM's default behaviour stays.
     */
    static Installed install(Runnable onSignal) {
        List<Runnable> restore = new ArrayList<>();
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            InvocationHandler call = (proxy, method, args) -> handle(proxy, method, args, onSignal);
            Object h = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[] {handler}, call);
            Method handle = signal.getMethod("handle", signal, handler);
            for (String name : NAMES) {
                Object sig = signal.getConstructor(String.class).newInstance(name);
                Object previous = handle.invoke(null, sig, h);
                restore.add(() -> {
                    try {
                        handle.invoke(null, sig, previous);
                    } catch (ReflectiveOperationException e) {
                        // the JVM is exiting or the signal is gone: nothing left to restore
                    }
                });
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // no handler API here: SIGTERM exits through the shutdown hooks with status 143
        }
        // an embedding JVM (a test run, an application server) gets its own signal behaviour back afterwards
        return () -> restore.forEach(Runnable::run);
    }

    private static Object handle(Object proxy, Method method, Object[] args, Runnable onSignal) {
        switch (method.getName()) {
            case "handle" -> onSignal.run();
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "equals" -> {
                return proxy == args[0];
            }
            case "toString" -> {
                return "StopSignals handler";
            }
            default -> throw new UnsupportedOperationException(method.getName());
        }
        return null;
    }
}
