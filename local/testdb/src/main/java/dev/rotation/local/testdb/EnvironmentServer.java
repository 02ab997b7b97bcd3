package dev.rotation.local.testdb;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server someone else runs, named by environment variables ({@code TEST_MYSQL_*} or {@code TEST_POSTGRES_*};
 * see {@link TestDatabases}). It is never stopped or restarted by this package.
 */
final class EnvironmentServer implements DatabaseServer {
    private static final Pattern URL = Pattern.compile(
            "(jdbc:(?:mysql|postgresql)://)(\\[[0-9A-Fa-f:.]+]|[^/:?\\[\\]]+)(?::(\\d+))?(?:/([^?]*))?(\\?.*)?");

    private final Kind kind;
    private final String host;
    private final int port;
    private final String database;
    private final String query;
    private final String user;
    private final String password;

    private EnvironmentServer(Kind kind, String host, int port, String database, String query, String user,
                              String password) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.database = database;
        this.query = query;
        this.user = user;
        this.password = password;
    }

    /** The server the environment names for {@code kind}, if its URL variable is set. */
    static Optional<EnvironmentServer> fromEnvironment(Kind kind, Map<String, String> env) {
        String urlVar = kind.envPrefix() + "_URL";
        String url = env.get(urlVar);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        Matcher m = URL.matcher(url.trim());
        if (!m.matches() || !m.group(1).equals(kind.jdbcPrefix)) {
            // The URL is not echoed: it might carry a password.
            throw new TestDatabaseUnavailableException(urlVar + " must look like " + kind.jdbcPrefix
                    + "host:port/database (credentials go in " + kind.envPrefix() + "_ADMIN_USER and _ADMIN_PASSWORD)");
        }
        String query = m.group(5) == null ? "" : m.group(5);
        if (query.matches("(?i).*[?&](user|password)=.*")) {
            throw new TestDatabaseUnavailableException(urlVar + " must not carry credentials; use "
                    + kind.envPrefix() + "_ADMIN_USER and " + kind.envPrefix() + "_ADMIN_PASSWORD");
        }
        String password = env.get(kind.envPrefix() + "_ADMIN_PASSWORD");
        if (password == null || password.isEmpty()) {
            throw new TestDatabaseUnavailableException(urlVar + " is set but " + kind.envPrefix()
                    + "_ADMIN_PASSWORD is not; the tests need a password-authenticated admin account");
        }
        String user = env.getOrDefault(kind.envPrefix() + "_ADMIN_USER", kind == Kind.MYSQL ? "root" : "postgres");
        String host = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
        int port = m.group(3) == null ? kind.defaultPort : Integer.parseInt(m.group(3));
        String database = m.group(4) == null || m.group(4).isEmpty()
                ? (kind == Kind.POSTGRES ? "postgres" : "") : m.group(4);
        return Optional.of(new EnvironmentServer(kind, host, port, database, query, user, password));
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String adminUser() {
        return user;
    }

    @Override
    public String adminPassword() {
        return password;
    }

    @Override
    public String adminDatabase() {
        return database;
    }

    @Override
    public String urlQuery() {
        return query;
    }

    @Override
    public String origin() {
        return kind.displayName + " server from " + kind.envPrefix() + "_URL at " + host + ":" + port
                + " (admin user " + user + ")";
    }

    @Override
    public boolean tlsEnabled() {
        return false;
    }

    @Override
    public void restart() {
        throw new UnsupportedOperationException("cannot restart a server given by " + kind.envPrefix()
                + "_URL; use TestDatabases.start" + (kind == Kind.MYSQL ? "Mysql" : "Postgres") + "() for one you may restart");
    }

    @Override
    public void pause() {
        restart();
    }

    @Override
    public void resume() {
        restart();
    }

    @Override
    public void destroy() {
        // Not ours to stop.
    }

    @Override
    public String toString() {
        return origin();
    }
}
