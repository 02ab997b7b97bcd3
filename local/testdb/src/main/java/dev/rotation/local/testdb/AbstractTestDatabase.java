package dev.rotation.local.testdb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;

/** What both engines share: connections, login checks, naming, lifecycle. The SQL lives in the subclasses. */
abstract class AbstractTestDatabase implements TestDatabase {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_]{1,40}");

    final DatabaseServer server;
    private final boolean shared;

    AbstractTestDatabase(DatabaseServer server, boolean shared) {
        this.server = server;
        this.shared = shared;
    }

    static AbstractTestDatabase of(DatabaseServer server, boolean shared) {
        return server.kind() == Kind.MYSQL ? new MySqlTestDatabase(server, shared)
                : new PostgresTestDatabase(server, shared);
    }

    /** Whether {@code e} means "these credentials are refused" rather than any other failure. */
    abstract boolean isAuthenticationFailure(SQLException e);

    @Override
    public String host() {
        return server.host();
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public String describe() {
        return server.origin();
    }

    @Override
    public Connection admin() {
        return adminTo(null);
    }

    Connection adminTo(String database) {
        try {
            return Jdbc.openAdmin(server, database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect as administrator to " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String createDatabase(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("a database name prefix must be 1 to 40 letters, digits or underscores");
        }
        String name = prefix + "_" + Passwords.suffix(10);
        execute("create database " + name, "CREATE DATABASE " + quoteIdentifier(name));
        afterCreateDatabase(name);
        return name;
    }

    void afterCreateDatabase(String name) {
    }

    @Override
    public boolean canLogin(String database, String username, String password) {
        try (Connection c = Jdbc.open(server, database, username, password)) {
            return c.isValid(5);
        } catch (SQLException e) {
            if (isAuthenticationFailure(e)) {
                return false;
            }
            throw new IllegalStateException("login check for user " + username + " on " + describe()
                    + " failed for another reason than the password: " + e.getMessage(), e);
        }
    }

    @Override
    public Connection connect(String database, String username, String password) {
        try {
            return Jdbc.open(server, database, username, password);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect as " + username + " to " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String jdbcUrl(String database) {
        return Jdbc.url(server, database);
    }

    @Override
    public String adminUsername() {
        return server.adminUser();
    }

    @Override
    public String adminPassword() {
        return server.adminPassword();
    }

    @Override
    public boolean tlsEnabled() {
        return server.tlsEnabled();
    }

    @Override
    public Optional<Path> serverLog() {
        return server.log();
    }

    @Override
    public void acceptAnyPasswordFor(String username) {
        requireNonEmpty(username, "username");
        server.trust(username);
    }

    @Override
    public void restart() {
        server.restart();
    }

    @Override
    public void stop() {
        server.pause();
    }

    @Override
    public void start() {
        server.resume();
    }

    /** Stops the server unless it is the JVM-wide shared one, which stops when the JVM exits. */
    @Override
    public void close() {
        if (!shared) {
            server.destroy();
        }
    }

    abstract String quoteIdentifier(String identifier);

    /** Runs admin statements; {@code what} names the action in errors, which never contain passwords. */
    void execute(String what, String... statements) {
        try (Connection c = admin(); var s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot " + what + " on " + describe() + ": " + e.getMessage(), e);
        }
    }

    static void requireNonEmpty(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }

    @Override
    public String toString() {
        return "TestDatabase[" + engine() + ", " + describe() + "]";
    }
}
