package dev.rotation.shared;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.regex.Pattern;

/**
 * Checks the secret's {@code host} and {@code port} before they go into a JDBC URL, so that a host
 * value cannot smuggle URL parameters ({@code ?allowLoadLocalInfile=true}, {@code ?sslmode=disable}) or a
 * second host in. Engines build their URLs with it.
 */
public final class JdbcHost {

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private JdbcHost() {
    }

    /** The host as it goes into a URL: a host name, an IPv4 address, or an IPv6 address in brackets. */
    public static String forUrl(String host) throws SQLException {
        if (host == null || host.isBlank()) {
            throw invalid("the secret has no host");
        }
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.contains(":")) {
            // Every IPv6 literal has at least two colons; "db:3306" has one.
            if (IPV6.matcher(h).matches() && h.indexOf(':') != h.lastIndexOf(':')) {
                return "[" + h + "]";
            }
        } else if (HOST_NAME.matcher(h).matches()) {
            return h;
        }
        throw invalid("the secret's host is not a host name or IP address");
    }

    /** The port, checked to be a TCP port number. */
    public static int checkPort(int port) throws SQLException {
        if (port < 1 || port > 65535) {
            throw invalid("the secret's port " + port + " is not between 1 and 65535");
        }
        return port;
    }

    private static SQLException invalid(String message) {
        return new SQLNonTransientConnectionException(message, "08001");
    }
}
