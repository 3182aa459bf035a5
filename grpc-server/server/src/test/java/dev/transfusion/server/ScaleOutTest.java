package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Three identical server processes behind one client (a static list, round_robin, grpc.health.v1 checks):
 * calls spread over all three; then, while calls keep going, one drains (SIGTERM) and another is killed
 * (SIGKILL), and every call still succeeds, the last server taking them all.
 */
class ScaleOutTest {
    private static final int CALLERS = 4;

    @Test
    void callsSpreadAndSurviveADrainAndAKill() throws Exception {
        try (ServerProcess a = ServerProcess.start(List.of("-Dfake.name=a"));
             ServerProcess b = ServerProcess.start(List.of("-Dfake.name=b"));
             ServerProcess c = ServerProcess.start(List.of("-Dfake.name=c"))) {
            List<String> servers = List.of("127.0.0.1:" + a.awaitPort(), "127.0.0.1:" + b.awaitPort(),
                    "127.0.0.1:" + c.awaitPort());
            try (TransfusionClient client = TransfusionClient.builder(servers).timeout(Duration.ofSeconds(30))
                    .build()) {
                Map<String, Integer> first = new ConcurrentHashMap<>();
                // the first calls may all go to the first server to connect; round_robin rotates once all are up
                for (int i = 0; i < 600 && first.size() < 3; i++) {
                    first.merge(client.info().name(), 1, Integer::sum);
                }
                assertEquals(Set.of("a", "b", "c"), first.keySet(), "every server took calls: " + first);

                Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
                Map<String, AtomicInteger> afterBoth = new ConcurrentHashMap<>();
                List<Throwable> failures = new ArrayList<>();
                AtomicBoolean gone = new AtomicBoolean();
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
                try {
                    for (int t = 0; t < CALLERS; t++) {
                        callers.execute(() -> {
                            while (!stop.get()) {
                                // counted as after only if it started after both servers had gone
                                boolean after = gone.get();
                                try {
                                    String name = client.info().name();
                                    served.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                                    if (after) {
                                        afterBoth.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                                    }
                                } catch (RuntimeException e) {
                                    synchronized (failures) {
                                        failures.add(e);
                                    }
                                }
                            }
                        });
                    }
                    Await.until(() -> served.size() == 3 && served.values().stream().allMatch(n -> n.get() >= 20),
                            Duration.ofSeconds(60), "all three serving the callers");

                    assertTrue(a.sigterm(), "SIGTERM sent to a");
                    b.process.destroyForcibly();   // SIGKILL: no drain, the connections just drop
                    assertEquals(0, a.awaitExit(), "a drained and exited cleanly:\n" + a.output());
                    assertTrue(a.output().contains("shutting down: draining calls in flight"), a.output());
                    assertTrue(b.process.waitFor(30, TimeUnit.SECONDS), "b is dead");
                    assertNotEquals(0, b.process.exitValue(), "b was killed, not stopped");
                    gone.set(true);

                    Await.until(() -> afterBoth.getOrDefault("c", new AtomicInteger()).get() >= 100,
                            Duration.ofSeconds(60), "c taking the calls");
                } finally {
                    stop.set(true);
                    callers.shutdown();
                    assertTrue(callers.awaitTermination(60, TimeUnit.SECONDS), "the callers stopped");
                }
                synchronized (failures) {
                    assertEquals(List.of(), failures, "every call succeeded");
                }
                assertEquals(Set.of("c"), afterBoth.keySet(), "only c is left: " + afterBoth);
            }
        }
    }
}
