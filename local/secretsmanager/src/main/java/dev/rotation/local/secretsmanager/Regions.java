package dev.rotation.local.secretsmanager;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every region the server answers: one {@link SecretStore} (with its {@link Rotator} and {@link Operations})
 * per region, the home region's made at start and the others when a request first names them. A request's
 * region is its signature's credential scope, else its endpoint's host name ({@link #fromHost}), else the
 * home region, so the SDKs and the CLI reach a region as they reach AWS's: by their configured region.
 */
final class Regions implements SecretStore.Peers, AutoCloseable {
    /** More regions than AWS has: a bound on what a client can make the server create. */
    static final int MAX_REGIONS = 64;
    private static final Pattern HOST = Pattern.compile(
            "(?:secretsmanager\\.)?(([a-z]+-)+\\d+)\\.localhost|secretsmanager\\.(([a-z]+-)+\\d+)\\..+");

    /** One region's parts. */
    record Region(String name, SecretStore store, Rotator rotator, Operations operations,
                  SecretPersistence persistence) {
    }

    private final String home;
    private final Function<String, Region> factory;
    private final Map<String, Region> regions = new ConcurrentHashMap<>();
    private boolean closed;

    Regions(String home, Function<String, Region> factory) {
        this.home = home;
        this.factory = factory;
        get(home);
    }

    /**
     * The region a request's Host header names: {@code REGION.localhost}, {@code secretsmanager.REGION.localhost}
     * or {@code secretsmanager.REGION.} and any domain (AWS's own endpoint names, given with --allowed-host).
     */
    static Optional<String> fromHost(String hostHeader) {
        if (hostHeader == null) {
            return Optional.empty();
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        int colon = host.indexOf(':');
        if (colon >= 0 && !host.startsWith("[")) {
            host = host.substring(0, colon);
        }
        Matcher m = HOST.matcher(host);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1) != null ? m.group(1) : m.group(3));
    }

    Region home() {
        return get(home);
    }

    String homeName() {
        return home;
    }

    /** The region's parts, made on first use. */
    Region get(String name) {
        Region r = regions.get(name);
        if (r != null) {
            return r;
        }
        if (!SecretStore.isRegion(name)) {
            throw ServiceException.invalidParameter("'" + Validation.printable(name) + "' is not a Region code such "
                    + "as eu-west-1.");
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the server is closed");
            }
            r = regions.get(name);
            if (r == null) {
                if (regions.size() >= MAX_REGIONS) {
                    throw ServiceException.limitExceeded("This server answers at most " + MAX_REGIONS + " regions.");
                }
                r = factory.apply(name);
                r.store().peers(this);
                regions.put(name, r);
            }
            return r;
        }
    }

    List<Region> all() {
        return new ArrayList<>(regions.values());
    }

    @Override
    public SecretStore store(String region) {
        return get(region).store();
    }

    @Override
    public Optional<SecretStore> existing(String region) {
        return Optional.ofNullable(regions.get(region)).map(Region::store);
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Region r : regions.values()) {
            r.rotator().close();
        }
        for (Region r : regions.values()) {
            r.persistence().close();
        }
    }
}
