package dev.transfusion.server;

import java.util.ArrayList;
import java.util.List;

/**
 * One server of a static list, {@code host:port} ({@code [v6]:port} for an IPv6 literal). Parsing checks every
 * entry, so that a typo in a list of servers fails when the client is built, naming the entry, rather than as
 * UNAVAILABLE on the first call.
 *
 * @param host a host name or IP literal (an IPv6 literal without its brackets)
 * @param port 1 to 65535
 */
public record ServerAddress(String host, int port) {
    private static final String EXPECTED = "expected host:port, or [v6-address]:port";

    /** Checks the fields; {@link #parse} is the usual way in. */
    public ServerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("server address: the host is empty; " + EXPECTED);
        }
        if (!host.matches("[A-Za-z0-9._%:-]+")) {
            throw new IllegalArgumentException("server address: host \"" + host + "\" has characters a host name "
                    + "or IP address cannot have; " + EXPECTED);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("server address " + host + ": port " + port
                    + " is out of range; expected 1 to 65535");
        }
    }

    /** Parses {@code host:port} or {@code [v6]:port}. */
    public static ServerAddress parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("server address is empty; " + EXPECTED);
        }
        String a = address.strip();
        int colon = a.lastIndexOf(':');
        String host = colon < 0 ? a : a.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":") || host.contains("[") || host.contains("]")) {
            // a bare IPv6 literal: its last colon is not a port separator
            throw new IllegalArgumentException("server address \"" + a + "\": put an IPv6 address in brackets; "
                    + EXPECTED);
        }
        if (colon < 0 || colon == a.length() - 1) {
            throw new IllegalArgumentException("server address \"" + a + "\" has no port; " + EXPECTED);
        }
        String port = a.substring(colon + 1);
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("server address \"" + a + "\": port \"" + port
                    + "\" is not a number; expected 1 to 65535", e);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("server address \"" + a + "\" has no host; " + EXPECTED);
        }
        return new ServerAddress(host, p);
    }

    /** Parses a comma-separated list ({@code a:50051,b:50051}); it must name at least one server. */
    public static List<ServerAddress> parseList(String list) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("server list is empty; expected host:port[,host:port...]");
        }
        List<ServerAddress> out = new ArrayList<>();
        String[] entries = list.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].isBlank()) {
                throw new IllegalArgumentException("server list \"" + list + "\": entry " + (i + 1)
                        + " is empty; expected host:port[,host:port...]");
            }
            out.add(parse(entries[i]));
        }
        return out;
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
