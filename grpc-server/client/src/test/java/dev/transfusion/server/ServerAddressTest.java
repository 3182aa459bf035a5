package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A list of servers is checked when the client is built; each bad entry is named with what was expected. */
class ServerAddressTest {

    @Test
    void parsesHostsIpv4AndBracketedIpv6() {
        assertEquals(List.of(new ServerAddress("gpu-1.example", 50051), new ServerAddress("10.0.0.2", 7),
                        new ServerAddress("::1", 50051)),
                ServerAddress.parseList("gpu-1.example:50051, 10.0.0.2:7,[::1]:50051"));
        assertEquals("[::1]:50051", new ServerAddress("::1", 50051).toString());
        assertEquals("static:///%5B::1%5D:1,a:2", StaticResolverProvider.target(ServerAddress.parseList("[::1]:1,a:2")));
    }

    @Test
    void badEntriesAreNamed() {
        assertMessage("server list is empty", () -> ServerAddress.parseList(" "));
        assertMessage("entry 2 is empty", () -> ServerAddress.parseList("a:1,,b:2"));
        assertMessage("entry 2 is empty", () -> ServerAddress.parseList("a:1,"));
        assertMessage("\"gpu-1\" has no port", () -> ServerAddress.parseList("gpu-1"));
        assertMessage("\"gpu-1:\" has no port", () -> ServerAddress.parseList("gpu-1:"));
        assertMessage("\":50051\" has no host", () -> ServerAddress.parse(":50051"));
        assertMessage("port \"http\" is not a number", () -> ServerAddress.parse("a:http"));
        assertMessage("port 70000 is out of range; expected 1 to 65535", () -> ServerAddress.parse("a:70000"));
        assertMessage("port 0 is out of range", () -> ServerAddress.parse("a:0"));
        assertMessage("put an IPv6 address in brackets", () -> ServerAddress.parse("::1:50051"));
        assertMessage("host \"a b\" has characters", () -> ServerAddress.parse("a b:1"));
    }

    @Test
    void theClientBuilderRefusesABadListAtOnce() {
        assertMessage("target is empty", () -> TransfusionClient.builder(""));
        assertMessage("server list is empty", () -> TransfusionClient.builder(List.of()));
        assertMessage("\"b\" has no port", () -> TransfusionClient.builder("a:1,b"));
        assertMessage("port \"x\" is not a number", () -> TransfusionClient.builder(List.of("a:1", "b:x")));
    }

    @Test
    void aStaticTargetWrittenByHandIsCheckedWhenTheChannelIsBuilt() {
        // through gRPC's registry (META-INF/services), as a target string given to any channel builder
        assertMessage("\"a\" has no port", () -> TransfusionClient.builder("static:///a").build());
        assertMessage("server list is empty",
                () -> Grpc.newChannelBuilder("static:///", InsecureChannelCredentials.create()).build());
    }

    private static void assertMessage(String part, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), "message \"" + e.getMessage() + "\" lacks \"" + part + "\"");
    }
}
