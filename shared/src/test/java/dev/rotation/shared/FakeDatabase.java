package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.Engine;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A database server in memory, seen through {@link DatabaseEngine}: users with passwords that are
 * really checked, TLS offered or not, reachable or not. Records every connection attempt.
 */
final class FakeDatabase implements DatabaseEngine {
    record Attempt(String username, Tls tls) {
    }

    private final String name;
    private final String excluded;
    final Map<String, String> passwords = new HashMap<>();
    final List<Attempt> attempts = new ArrayList<>();
    final List<String> queries = new ArrayList<>();
    boolean offersTls = true;
    boolean certificateValid = true;
    boolean reachable = true;
    /** When set, changeOwnPassword fails with a driver message quoting this text. */
    String changeFailureMessage;
    /** When set, every connection attempt fails with a driver message quoting this text. */
    String connectFailureMessage;
    int openConnections;
    int passwordChanges;

    private FakeDatabase(String name, String excluded) {
        this.name = name;
        this.excluded = excluded;
    }

    static FakeDatabase mysql() {
        return new FakeDatabase("mysql", "/@\"'\\");
    }

    static FakeDatabase postgres() {
        return new FakeDatabase("postgres", "/@\"'\\:");
    }

    FakeDatabase withUser(String username, String password) {
        passwords.put(username, password);
        return this;
    }

    /** Users for whom any password logs in, as under PostgreSQL's trust authentication. */
    final java.util.Set<String> trusted = new java.util.HashSet<>();

    boolean accepts(String username, String password) {
        return password != null && (trusted.contains(username) || password.equals(passwords.get(username)));
    }

    @Override
    public EngineDescription description() {
        return EngineDescription.of(name.equals("mysql") ? Engine.MYSQL : Engine.POSTGRES, excluded, List.of());
    }

    @Override
    public Connection connect(ConnectRequest request) throws SQLException {
        DatabaseSecret secret = request.secret();
        Tls tls = request.tls();
        ConnectionSettings settings = request.settings();
        attempts.add(new Attempt(secret.username(), tls));
        if (connectFailureMessage != null) {
            throw new SQLException("driver failure: " + connectFailureMessage, "08001");
        }
        if (!reachable) {
            throw new SQLException("Communications link failure: connect timed out after "
                    + settings.connectTimeout().toSeconds() + " s", "08S01");
        }
        if (tls == Tls.VERIFY && !offersTls) {
            throw new SQLException("server does not offer TLS", "TLSNO");
        }
        if (tls == Tls.VERIFY && !certificateValid) {
            throw new SQLException("PKIX path building failed", "08006");
        }
        if (!accepts(secret.username(), secret.password())) {
            throw new SQLException("Access denied for user '" + secret.username() + "'", "28000");
        }
        openConnections++;
        return connection(secret.username());
    }

    @Override
    public LoginFailure classify(SQLException failure) {
        return switch (failure.getSQLState()) {
            case "28000" -> LoginFailure.AUTHENTICATION;
            case "TLSNO" -> LoginFailure.TLS_UNAVAILABLE;
            default -> LoginFailure.OTHER;
        };
    }

    @Override
    public PasswordChange changeOwnPassword(PasswordChangeRequest request) throws SQLException {
        Connection connection = request.connection();
        String newPassword = request.newPassword();
        if (changeFailureMessage != null) {
            throw new SQLException("syntax error near '" + changeFailureMessage + "'", "42000");
        }
        String user = connection.getClientInfo("user");
        passwords.put(user, newPassword);
        passwordChanges++;
        return new PasswordChange("a fake statement");
    }

    private Connection connection(String user) {
        boolean[] closed = {false};
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getClientInfo" -> user;
                    case "createStatement" -> statement();
                    case "close" -> {
                        if (!closed[0]) {
                            closed[0] = true;
                            openConnections--;
                        }
                        yield null;
                    }
                    case "isClosed" -> closed[0];
                    case "setNetworkTimeout" -> null;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "FakeConnection[" + user + "]";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Statement statement() {
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "setQueryTimeout", "close" -> null;
                    case "execute" -> {
                        queries.add((String) args[0]);
                        yield true;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "FakeStatement";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
