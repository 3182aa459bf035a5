package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.TextPart;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The light client alone (OkHttp, no Netty, no engine) over several servers: calls go round-robin over all of
 * them, a server whose health turns NOT_SERVING stops getting calls and gets them again once SERVING, and a
 * streamed Generate arrives whole.
 */
class LoadBalancingTest {

    @Test
    void callsSpreadOverEveryServerOfAList() throws Exception {
        try (OkHttpServers servers = OkHttpServers.start(3);
             TransfusionClient client = TransfusionClient.builder(servers.addresses()).build()) {
            Map<String, Integer> served = new HashMap<>();
            // the first calls may all go to the first server to connect; round_robin rotates once all are up
            for (int i = 0; i < 300 && served.size() < 3; i++) {
                served.merge(client.info().name(), 1, Integer::sum);
            }
            assertEquals(Set.of("s0", "s1", "s2"), served.keySet(), "every server took calls: " + served);
            Map<String, Integer> next = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                next.merge(client.info().name(), 1, Integer::sum);
            }
            // round_robin rotates: about 10 each (not exactly, should the picker be rebuilt midway)
            for (String name : List.of("s0", "s1", "s2")) {
                assertTrue(next.getOrDefault(name, 0) >= 8, "an even spread once all are connected: " + next);
            }
        }
    }

    @Test
    void aServerNotServingIsSkippedUntilItServesAgain() throws Exception {
        try (OkHttpServers servers = OkHttpServers.start(3);
             TransfusionClient client = TransfusionClient.builder(String.join(",", servers.addresses())).build()) {
            Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 300 && seen.size() < 3; i++) {
                seen.add(client.info().name());
            }
            assertEquals(3, seen.size(), "all three served before the change: " + seen);

            servers.health.get(1).setStatus(dev.transfusion.server.v1.TransfusionGrpc.SERVICE_NAME,
                    ServingStatus.NOT_SERVING);
            // the health watch reaches the client soon after; from then on s1 gets nothing
            assertTrue(windowWithout(client, "s1"), "s1 kept getting calls while NOT_SERVING");
            for (int i = 0; i < 30; i++) {
                assertFalse(client.info().name().equals("s1"), "a call went to the server that is not serving");
            }

            servers.health.get(1).setStatus(dev.transfusion.server.v1.TransfusionGrpc.SERVICE_NAME,
                    ServingStatus.SERVING);
            boolean back = false;
            for (int i = 0; i < 3000 && !back; i++) {
                back = client.info().name().equals("s1");
            }
            assertTrue(back, "s1 takes calls again once SERVING");
        }
    }

    @Test
    void generateStreamsOverTheLightTransport() throws Exception {
        try (OkHttpServers servers = OkHttpServers.start(1);
             TransfusionClient client = TransfusionClient.builder(servers.addresses()).build()) {
            StringBuilder streamed = new StringBuilder();
            GenerationResult r = client.generate(Document.text("hi"), GenerationOptions.builder().build(),
                    GenerationListener.ofTokens((id, text) -> streamed.append(text)), new Cancellation());
            assertEquals("hello from s0", streamed.toString());
            assertEquals(List.of(new TextPart("hello from s0")), r.parts());
            assertEquals(FinishReason.END_OF_SEQUENCE, r.finishReason());
            assertEquals(7L, r.usage().seed());
        }
    }

    @Test
    void aDnsNameGetsTheSameBalancing() throws Exception {
        // the Kubernetes form (a headless Service's name); here one server, reached through the DNS resolver
        try (OkHttpServers servers = OkHttpServers.start(1);
             TransfusionClient client = TransfusionClient.builder("dns:///localhost:" + servers.servers.get(0).getPort())
                     .build()) {
            for (int i = 0; i < 10; i++) {
                assertEquals("s0", client.info().name());
            }
        }
    }

    /** Calls until 30 in a row avoid {@code name} (at most 3000 calls); whether that happened. */
    private static boolean windowWithout(TransfusionClient client, String name) {
        int run = 0;
        for (int i = 0; i < 3000 && run < 30; i++) {
            run = client.info().name().equals(name) ? 0 : run + 1;
        }
        return run >= 30;
    }

    @Test
    void aCallThatFailsUnavailableOrUnknownBeforeAnyAnswerIsRetriedAndOthersAreNot() throws Exception {
        try (OkHttpServers servers = OkHttpServers.start(1);
             TransfusionClient client = TransfusionClient.builder(servers.addresses()).build()) {
            OkHttpServers.Named s = servers.services.get(0);
            assertEquals("s0", client.info().name());
            for (io.grpc.Status code : List.of(io.grpc.Status.UNAVAILABLE, io.grpc.Status.UNKNOWN)) {
                s.failWith = code;
                s.failing.set(2);
                int before = s.infoCalls.get();
                assertEquals("s0", client.info().name(), code.getCode() + " is retried");
                assertEquals(3, s.infoCalls.get() - before, "two failed attempts and the one that answered");
            }
            s.failWith = io.grpc.Status.INVALID_ARGUMENT;
            s.failing.set(1);
            int before = s.infoCalls.get();
            var e = org.junit.jupiter.api.Assertions.assertThrows(dev.transfusion.api.InvalidInputException.class,
                    client::info);
            assertTrue(e.getMessage().contains("failed on purpose"), e.getMessage());
            assertEquals(1, s.infoCalls.get() - before, "a refusal is not retried");
        }
    }
}
