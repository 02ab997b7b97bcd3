package dev.rotation.local.secretsmanager;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which {@code Host} header values name this server: the defence against DNS rebinding. A web page can
 * point its own domain's DNS record at 127.0.0.1 and then make the visitor's browser send requests here
 * that the browser considers same-origin, and so lets the page read the answers; the browser still sends
 * the page's domain as Host, so refusing names this server was not given stops the attack.
 *
 * <p>Accepted: {@code localhost}; IP literals of loopback addresses ({@code 127.0.0.1}, {@code [::1]}) and
 * of the bound address; the name given as the host to listen on; names listed explicitly. With remote
 * access allowed, any IP literal as well: an address cannot be re-pointed by DNS, so only names need a
 * list. The port is not compared: rebinding keeps the port, and a forwarded port (SSH, a container) is
 * legitimate. A Host value is never looked up in DNS. Also accepted: {@code REGION.localhost} and
 * {@code secretsmanager.REGION.localhost}, the endpoints of other regions ({@link Regions#fromHost}):
 * names under {@code localhost} are loopback names (RFC 6761) that no web page can claim.
 */
final class HostCheck {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    /** Starts as InetAddress expects of a literal, so that it parses it instead of asking DNS. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");
    private static final Pattern PORT = Pattern.compile("[0-9]{0,5}");
    /** A DNS name: letters, digits, hyphens and dots. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    private static final Pattern REGION_LOCALHOST = Pattern.compile("(secretsmanager\\.)?([a-z]+-)+\\d+\\.localhost");

    private final InetAddress bound;
    private final boolean anyAddress;
    private final Set<String> names;

    private HostCheck(InetAddress bound, boolean anyAddress, Set<String> names) {
        this.bound = bound;
        this.anyAddress = anyAddress;
        this.names = names;
    }

    /**
     * The check for a server bound to {@code bound}, which was given as {@code configuredHost} (a name or
     * a literal); {@code allowRemote} accepts any IP literal; {@code allowedNames} are extra names.
     */
    static HostCheck of(String configuredHost, InetAddress bound, boolean allowRemote, Collection<String> allowedNames) {
        Set<String> names = new TreeSet<>();
        names.add("localhost");
        if (NAME.matcher(configuredHost).matches() && !IPV4.matcher(configuredHost).matches()) {
            names.add(configuredHost.toLowerCase(Locale.ROOT));
        }
        allowedNames.forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
        return new HostCheck(bound, allowRemote, Set.copyOf(names));
    }

    /** True if {@code name} can be listed as an allowed host: a DNS name, not an address or a pattern. */
    static boolean isName(String name) {
        return name != null && name.length() <= 253 && NAME.matcher(name).matches() && !IPV4.matcher(name).matches();
    }

    /** True when the header value (host, optional {@code :port}) names this server. */
    boolean accepts(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String host = hostHeader.trim();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            if (end < 0 || !port(host.substring(end + 1))) {
                return false;
            }
            String literal = host.substring(1, end);
            return IPV6.matcher(literal).matches() && literal.contains(":") && acceptsAddress(literal);
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            if (!port(host.substring(colon))) {
                return false;
            }
            host = host.substring(0, colon);
        }
        if (IPV4.matcher(host).matches()) {
            return acceptsAddress(host);
        }
        String name = host.toLowerCase(Locale.ROOT);
        return names.contains(name) || REGION_LOCALHOST.matcher(name).matches();
    }

    private static boolean port(String rest) {
        return rest.isEmpty() || (rest.charAt(0) == ':' && PORT.matcher(rest.substring(1)).matches());
    }

    /** {@code literal} matched an address pattern above, so this parses it and never asks DNS. */
    private boolean acceptsAddress(String literal) {
        InetAddress address;
        try {
            address = InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return false;
        }
        return anyAddress || address.isLoopbackAddress() || address.equals(bound);
    }

    /** What is accepted, for the refusal's message. */
    String describe() {
        return String.join(", ", names) + ", loopback addresses"
                + (anyAddress ? ", any IP address" : bound.isLoopbackAddress() ? "" : ", " + bound.getHostAddress());
    }
}
