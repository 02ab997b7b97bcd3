package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a database server accepts connections: a host name or address and a port. Two addresses are
 * the same server when their hosts are equal ignoring case (DNS names are case-insensitive) and their
 * ports are equal; no name is resolved, so a CNAME and its target are different servers.
 *
 * @param host as written (shown in messages)
 * @param port 1 to 65535
 */
public record ServerAddress(String host, int port) {

    public ServerAddress {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be from 1 to 65535");
        }
    }

    /** The server a secret names, with the engine's default port when it has no {@code port} key. */
    public static ServerAddress of(DatabaseSecret secret, int defaultPort) {
        return new ServerAddress(secret.host(), secret.port().orElse(defaultPort));
    }

    /** Whether both name the same server (see the class comment). */
    public boolean sameServerAs(ServerAddress other) {
        return other != null && port == other.port
                && host.toLowerCase(Locale.ROOT).equals(other.host.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
