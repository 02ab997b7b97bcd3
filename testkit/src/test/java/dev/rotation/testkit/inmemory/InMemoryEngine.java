package dev.rotation.testkit.inmemory;

import dev.rotation.secret.DatabaseSecret;
import dev.rotation.shared.AdminChanges;
import dev.rotation.shared.AdminRequest;
import dev.rotation.shared.ConnectRequest;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.shared.EngineDescription;
import dev.rotation.shared.PasswordChange;
import dev.rotation.shared.PasswordChangeRequest;
import dev.rotation.shared.RotationException;
import dev.rotation.shared.UserAdministration;
import dev.rotation.shared.UsernameLimit;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A third engine that is no database: the engine SPI over {@link InMemoryServer}'s maps, with an engine
 * value of its own ({@code inmemory}) that no module of the project knows. It shows that a new engine
 * needs nothing but the SPI to run the protocol's contracts: no change to shared, the secret model, the
 * test kit's contracts or the other engines. A connection is a JDBC proxy that answers what the
 * protocol asks of a session ({@code SELECT 1}, timeouts, close) and nothing else.
 */
public final class InMemoryEngine implements DatabaseEngine, UserAdministration {
    static final EngineDescription DESCRIPTION = new EngineDescription("inmemory", List.of("inmemory"),
            InMemoryServer.PORT, "/@\"'\\", List.of());

    private final InMemoryServer server;

    InMemoryEngine(InMemoryServer server) {
        this.server = server;
    }

    public InMemoryEngine() {
        this(InMemoryServer.SHARED);
    }

    @Override
    public EngineDescription description() {
        return DESCRIPTION;
    }

    @Override
    public Connection connect(ConnectRequest request) throws SQLException {
        DatabaseSecret secret = request.secret();
        if (!secret.host().equals(InMemoryServer.HOST) || request.port(InMemoryServer.PORT) != InMemoryServer.PORT) {
            throw new SQLNonTransientConnectionException("Connection refused: " + secret.host() + ":"
                    + request.port(InMemoryServer.PORT), "08001");
        }
        if (request.tls() == Tls.VERIFY) {
            throw new SQLNonTransientConnectionException("the in-memory server offers no TLS", "08TLS");
        }
        if (secret.dbname().isPresent() && !server.databases.contains(secret.dbname().get())) {
            throw new SQLNonTransientConnectionException("no database " + secret.dbname().get(), "3D000");
        }
        if (!server.accepts(secret.username(), secret.password())) {
            throw new SQLException("password authentication failed for user \"" + secret.username() + "\"", "28P01");
        }
        return session(secret.username());
    }

    @Override
    public LoginFailure classify(SQLException failure) {
        return switch (String.valueOf(failure.getSQLState())) {
            case "28P01" -> LoginFailure.AUTHENTICATION;
            case "08TLS" -> LoginFailure.TLS_UNAVAILABLE;
            default -> LoginFailure.OTHER;
        };
    }

    @Override
    public PasswordChange changeOwnPassword(PasswordChangeRequest request) throws SQLException {
        requireOpen(request.connection());
        server.users.put(user(request.connection()), Optional.of(request.newPassword()));
        return new PasswordChange("an in-memory assignment");
    }

    @Override
    public UsernameLimit usernameLimit(Map<String, String> environment) {
        return UsernameLimit.characters(InMemoryDatabase.MAX_USERNAME_LENGTH, "the in-memory server allows "
                + InMemoryDatabase.MAX_USERNAME_LENGTH);
    }

    @Override
    public boolean currentUserExists(AdminRequest request) throws SQLException {
        requireAdministrator(request);
        return server.users.containsKey(request.currentUser());
    }

    @Override
    public void requireManageable(AdminRequest request) throws SQLException {
        requireAdministrator(request);
        String other = request.otherUser();
        if (server.users.containsKey(other) && (other.equals(request.masterUser()) || server.administrators.contains(other))) {
            throw new RotationException("refusing to manage the existing user '" + other + "': it administers others;"
                    + " nothing was changed");
        }
    }

    @Override
    public AdminChanges ensureUser(AdminRequest request) throws SQLException {
        requireAdministrator(request);
        return server.users.putIfAbsent(request.otherUser(), Optional.empty()) == null
                ? AdminChanges.of("created user '" + request.otherUser() + "'") : AdminChanges.NONE;
    }

    @Override
    public AdminChanges synchronizePrivileges(AdminRequest request) throws SQLException {
        requireAdministrator(request);
        String before = server.privilegesOf.put(request.otherUser(), request.currentUser());
        return request.currentUser().equals(before) ? AdminChanges.NONE
                : AdminChanges.of("gave user '" + request.otherUser() + "' the privileges of '" + request.currentUser() + "'");
    }

    @Override
    public PasswordChange setPassword(AdminRequest request, String newPassword) throws SQLException {
        requireAdministrator(request);
        if (!server.users.containsKey(request.otherUser())) {
            throw new SQLException("user '" + request.otherUser() + "' does not exist", "42704");
        }
        server.users.put(request.otherUser(), Optional.of(newPassword));
        return new PasswordChange("an in-memory assignment");
    }

    private void requireAdministrator(AdminRequest request) throws SQLException {
        requireOpen(request.admin());
        if (!server.administrators.contains(user(request.admin()))) {
            throw new SQLException("permission denied: '" + user(request.admin()) + "' administers no one", "42501");
        }
    }

    // ---- sessions ------------------------------------------------------------------------------

    /** The user a session logged in as: the proxies answer getClientInfo("user"). */
    private static String user(Connection connection) throws SQLException {
        return connection.getClientInfo("user");
    }

    private static void requireOpen(Connection connection) throws SQLException {
        if (connection.isClosed()) {
            throw new SQLNonTransientConnectionException("the session is closed", "08003");
        }
    }

    private static Connection session(String user) {
        AtomicBoolean closed = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(InMemoryEngine.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> {
                        closed.set(true);
                        yield null;
                    }
                    case "isClosed" -> closed.get();
                    case "isValid" -> !closed.get();
                    case "getClientInfo" -> args != null && args.length == 1 && "user".equals(args[0]) ? user : null;
                    case "setNetworkTimeout", "setAutoCommit", "commit", "rollback" -> null;
                    case "getAutoCommit" -> true;
                    case "createStatement" -> statement(closed);
                    case "unwrap" -> throw new SQLException("not a wrapper");
                    case "isWrapperFor" -> false;
                    case "toString" -> "InMemorySession{" + user + "}";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new SQLException("the in-memory server does not support " + method.getName(), "0A000");
                });
    }

    /** A statement that runs {@code SELECT 1}, as testSecret asks, and refuses everything else. */
    private static Statement statement(AtomicBoolean sessionClosed) {
        return (Statement) Proxy.newProxyInstance(InMemoryEngine.class.getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "execute" -> {
                        if (sessionClosed.get() || !"SELECT 1".equals(args[0])) {
                            throw new SQLException("the in-memory server runs only SELECT 1", "42601");
                        }
                        yield true;
                    }
                    case "setQueryTimeout", "close" -> null;
                    case "toString" -> "InMemoryStatement";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new SQLException("the in-memory server does not support " + method.getName(), "0A000");
                });
    }

    @Override
    public String toString() {
        return "InMemoryEngine";
    }
}
