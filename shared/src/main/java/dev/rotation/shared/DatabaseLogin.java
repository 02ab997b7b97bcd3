package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.SslMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Logs in with a secret's credentials, applying the {@code ssl} rules on top of
 * {@link DatabaseEngine#connect}: {@link SslMode#REQUIRED} uses verified TLS only,
 * {@link SslMode#DISABLED} plaintext only, and {@link SslMode#PREFERRED} verified TLS, falling back
 * to plaintext only when the engine says the server offers no TLS at all and the deployer set
 * {@code ALLOW_PLAINTEXT_FALLBACK=true}, with a warning: "no TLS here" is an answer anyone on the
 * network path can forge. A failed certificate or host verification never
 * falls back. A server found to offer no TLS is remembered for the rest of the invocation (one
 * step): its later logins go straight to plaintext instead of probing again, which saves a
 * connection per login and repeats no warning.
 *
 * <p>The answer separates "these credentials are refused" (an expected outcome during rotation)
 * from every other failure (unreachable host, timeout, TLS problems), which is a
 * {@link RotationException}. Obtained from {@link SetSecretContext#login()}.
 */
public final class DatabaseLogin {
    private final DatabaseEngine engine;
    private final ConnectionSettings settings;
    private final RotationLog log;
    private final Set<String> serversWithoutTls = new HashSet<>();

    DatabaseLogin(DatabaseEngine engine, ConnectionSettings settings, RotationLog log) {
        this.engine = engine;
        this.settings = settings;
        this.log = log;
    }

    /**
     * Opens a connection logged in with {@code secret}'s user name and password; the caller closes it.
     *
     * @return empty when the server refuses the user name or password
     * @throws RotationException for any other failure
     */
    public Optional<Connection> open(DatabaseSecret secret) {
        String where = server(secret) + " as user '" + secret.username() + "'";
        switch (secret.ssl()) {
            case REQUIRED:
                return attempt(secret, DatabaseEngine.Tls.VERIFY, where + " over TLS");
            case DISABLED:
                return attempt(secret, DatabaseEngine.Tls.DISABLED, where + " without TLS (the secret's ssl key is false)");
            case PREFERRED:
            default:
                return preferTls(secret, where, server(secret));
        }
    }

    /** Whether {@code secret}'s credentials log in; the connection is closed again. */
    public boolean logsIn(DatabaseSecret secret) {
        Optional<Connection> connection = open(secret);
        connection.ifPresent(DatabaseLogin::closeQuietly);
        return connection.isPresent();
    }

    /** Runs {@code SELECT 1} within the query timeout: proof the session really works. */
    public void runTrivialQuery(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(Math.toIntExact(settings.queryTimeout().toSeconds()));
            statement.execute("SELECT 1");
        } catch (SQLException e) {
            throw new RotationException("the trivial query SELECT 1 failed: " + describe(e), e);
        }
    }

    private Optional<Connection> preferTls(DatabaseSecret secret, String where, String server) {
        if (serversWithoutTls.contains(server)) {
            return attempt(secret, DatabaseEngine.Tls.DISABLED, where + " without TLS");
        }
        SQLException tlsFailure;
        try {
            return Optional.of(prepared(engine.connect(new ConnectRequest(secret, DatabaseEngine.Tls.VERIFY, settings))));
        } catch (SQLException e) {
            tlsFailure = e;
        }
        DatabaseEngine.LoginFailure kind = engine.classify(tlsFailure);
        if (kind == DatabaseEngine.LoginFailure.AUTHENTICATION) {
            return Optional.empty();
        }
        if (kind != DatabaseEngine.LoginFailure.TLS_UNAVAILABLE) {
            throw failure(where + " over TLS", tlsFailure);
        }
        if (!settings.allowPlaintextFallback()) {
            throw new RotationException("the server " + server + " offers no TLS (or something on the network path"
                    + " says so), and the secret has no ssl key; nothing was sent. Give the server TLS, or set the"
                    + " secret's ssl key to false to use plaintext for this secret, or set "
                    + ConnectionSettings.ALLOW_PLAINTEXT_FALLBACK + "=true to let every secret without an ssl key fall"
                    + " back (open to a man in the middle)");
        }
        log.warn("the server " + server + " offers no TLS; falling back to plaintext because "
                + ConnectionSettings.ALLOW_PLAINTEXT_FALLBACK + "=true and the secret has no ssl key: anyone on the"
                + " network path can forge that answer, so this is open to a man in the middle (set the secret's ssl"
                + " key to true to require TLS)");
        serversWithoutTls.add(server);
        return attempt(secret, DatabaseEngine.Tls.DISABLED, where + " without TLS");
    }

    private Optional<Connection> attempt(DatabaseSecret secret, DatabaseEngine.Tls tls, String where) {
        try {
            return Optional.of(prepared(engine.connect(new ConnectRequest(secret, tls, settings))));
        } catch (SQLException e) {
            if (engine.classify(e) == DatabaseEngine.LoginFailure.AUTHENTICATION) {
                return Optional.empty();
            }
            throw failure(where, e);
        }
    }

    /**
     * A network timeout on every connection as a safety net, so a server that stops answering
     * cannot hold the function until Lambda kills it.
     */
    private Connection prepared(Connection connection) {
        long millis = settings.connectTimeout().plus(settings.queryTimeout()).toMillis();
        try {
            connection.setNetworkTimeout(Runnable::run, Math.toIntExact(millis));
        } catch (SQLException | UnsupportedOperationException e) {
            log.debug("the driver does not support a network timeout: " + e.getClass().getSimpleName());
        }
        return connection;
    }

    private RotationException failure(String where, SQLException e) {
        return new RotationException("could not log in to " + where + ": " + describe(e), e);
    }

    private String server(DatabaseSecret secret) {
        return secret.host() + ":" + secret.port().orElse(engine.description().defaultPort());
    }

    static String describe(SQLException e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        if (e.getSQLState() != null) {
            text.append(" [SQLState ").append(e.getSQLState()).append(']');
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            text.append(" (caused by ").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage())
                    .append(')');
        }
        return text.toString();
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            // Closing a connection the rotation no longer needs; a failure changes nothing.
        }
    }
}
