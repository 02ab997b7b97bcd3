package dev.rotation.testkit.inmemory;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.shared.ConnectRequest;
import dev.rotation.shared.ConnectionSettings;
import dev.rotation.shared.DatabaseEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The in-memory server as the test kit's contracts administer it, through the same maps the engine reads. */
final class InMemoryDatabase implements TestDatabase {
    static final int MAX_USERNAME_LENGTH = 64;
    private static final String ADMIN = "root";
    private static final String ADMIN_PASSWORD = "In-memory-root-" + UUID.randomUUID();

    private final InMemoryServer server;
    private final InMemoryEngine engine;

    InMemoryDatabase(InMemoryServer server) {
        this.server = server;
        this.engine = new InMemoryEngine(server);
        server.users.put(ADMIN, Optional.of(ADMIN_PASSWORD));
        server.administrators.add(ADMIN);
    }

    @Override
    public String engine() {
        return "inmemory";
    }

    @Override
    public String host() {
        return InMemoryServer.HOST;
    }

    @Override
    public int port() {
        return InMemoryServer.PORT;
    }

    @Override
    public String describe() {
        return "the in-memory server";
    }

    @Override
    public Connection admin() {
        return connect(null, ADMIN, ADMIN_PASSWORD);
    }

    @Override
    public String createDatabase(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        server.databases.add(name);
        return name;
    }

    @Override
    public void createAppUser(String database, String username, String password) {
        if (username.length() > MAX_USERNAME_LENGTH) {
            throw new IllegalStateException("user name too long for " + describe());
        }
        if (server.users.putIfAbsent(username, Optional.of(password)) != null) {
            throw new IllegalStateException("user " + username + " exists on " + describe());
        }
    }

    @Override
    public void dropUser(String username) {
        server.users.remove(username);
        server.administrators.remove(username);
        server.privilegesOf.remove(username);
    }

    @Override
    public boolean userExists(String username) {
        return server.users.containsKey(username);
    }

    @Override
    public boolean canLogin(String database, String username, String password) {
        return server.accepts(username, password);
    }

    @Override
    public Connection connect(String database, String username, String password) {
        DatabaseSecret.Builder secret = DatabaseSecret.builder().engine(engine()).host(host()).port(port())
                .username(username).password(password);
        if (database != null) {
            secret.dbname(database);
        }
        try {
            return engine.connect(new ConnectRequest(secret.build(), DatabaseEngine.Tls.DISABLED,
                    ConnectionSettings.defaults()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot log in to " + describe() + " as " + username + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:inmemory://" + host() + ":" + port() + "/" + database;
    }

    @Override
    public void createMaster(String database, String username, String password, String appUser) {
        createAppUser(database, username, password);
        server.administrators.add(username);
    }

    @Override
    public int maxUsernameLength() {
        return MAX_USERNAME_LENGTH;
    }

    @Override
    public Map<String, String> functionEnvironment() {
        return Map.of();
    }

    @Override
    public void setPasswordAsAdmin(String username, String password) {
        server.users.put(username, Optional.of(password));
    }

    @Override
    public String adminUsername() {
        return ADMIN;
    }

    @Override
    public String adminPassword() {
        return ADMIN_PASSWORD;
    }

    @Override
    public boolean tlsEnabled() {
        return false;
    }

    @Override
    public Optional<Path> serverLog() {
        return Optional.empty();
    }

    @Override
    public void restart() {
        throw new UnsupportedOperationException("the in-memory server has no process to restart");
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("the in-memory server has no process to stop");
    }

    @Override
    public void start() {
        throw new UnsupportedOperationException("the in-memory server has no process to start");
    }

    @Override
    public void close() {
        // Nothing to stop: the maps go with the JVM.
    }
}
