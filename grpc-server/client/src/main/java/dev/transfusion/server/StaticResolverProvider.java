package dev.transfusion.server;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import io.grpc.StatusOr;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code static:///host:port,host:port} target: a fixed list of servers, each its own endpoint, so that
 * {@code round_robin} spreads calls over them and health checks skip the ones not SERVING. gRPC has no such
 * scheme of its own ({@code dns:///} needs one name for all); registered through
 * {@code META-INF/services/io.grpc.NameResolverProvider}. {@link TransfusionClient#builder(List)} builds the target.
 */
public final class StaticResolverProvider extends NameResolverProvider {
    /** The target scheme. */
    public static final String SCHEME = "static";

    /** The target for {@code servers}; brackets (IPv6) are escaped, as a URI path may not hold them. */
    static String target(List<ServerAddress> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("server list is empty; expected at least one host:port");
        }
        return SCHEME + ":///" + servers.stream().map(a -> a.toString().replace("[", "%5B").replace("]", "%5D"))
                .collect(Collectors.joining(","));
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 4;   // below dns (5): the registry's default scheme, for a target without one, stays dns
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!SCHEME.equals(targetUri.getScheme())) {
            return null;
        }
        String path = targetUri.getPath();
        // a malformed list fails the channel's build() with the entry named, not the first call
        List<ServerAddress> servers = ServerAddress.parseList(path == null ? "" : path.replaceFirst("^/", ""));
        return new Resolver(servers);
    }

    /** Resolves each host once per start or refresh (a refresh follows a lost connection). */
    private static final class Resolver extends NameResolver {
        private final String authority;
        private final List<ServerAddress> servers;
        private Listener2 listener;

        Resolver(List<ServerAddress> servers) {
            // the TLS name to check when the list has one server; with several, set the client's authority()
            this.authority = servers.size() == 1 ? servers.get(0).toString() : "static";
            this.servers = servers;
        }

        @Override
        public String getServiceAuthority() {
            return authority;
        }

        @Override
        public void start(Listener2 listener) {
            this.listener = listener;
            resolve();
        }

        @Override
        public void refresh() {
            resolve();
        }

        private void resolve() {
            List<EquivalentAddressGroup> groups = new ArrayList<>();
            List<String> unresolved = new ArrayList<>();
            for (ServerAddress s : servers) {
                InetSocketAddress a = new InetSocketAddress(s.host(), s.port());   // looks names up (IPs: at once)
                if (a.isUnresolved()) {
                    unresolved.add(s.toString());
                } else {
                    groups.add(new EquivalentAddressGroup(a));
                }
            }
            if (groups.isEmpty()) {
                listener.onResult(ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromStatus(
                        Status.UNAVAILABLE.withDescription("no server of the list resolves: " + unresolved))).build());
                return;
            }
            // the servers that do resolve take the calls; the others are retried at the next refresh
            listener.onResult(ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(groups)).build());
        }

        @Override
        public void shutdown() {
        }
    }
}
