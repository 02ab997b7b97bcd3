package dev.rotation.client;

import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A {@link DataSource} whose connections log in with a rotated secret's credentials, and keep logging
 * in while the secret rotates.
 *
 * <p>Each {@link #getConnection()} builds the JDBC URL from the secret's {@code engine}, {@code host},
 * {@code port} and {@code dbname} (see {@link DatabaseCredentials#jdbcUrl()}); user and password go in
 * the connection properties, never in the URL. When the database refuses the login (MySQL/MariaDB
 * error 1045, SQLState 28000; PostgreSQL 28P01 or 28000), it
 * <ol>
 *   <li>checks at once whether {@code AWSCURRENT} moved (one request shared by all threads that failed
 *       together) and tries the new current credentials;</li>
 *   <li>then tries {@code AWSPENDING}: during single-user rotation, between setSecret and finishSecret,
 *       the database already holds the pending password while AWSCURRENT still holds the old one. Only
 *       if the pending version names the same server as the current one (engine family, host ignoring
 *       case, port after defaulting to 3306/5432) and does not turn TLS off: a rotation never changes
 *       these, and whoever can write a pending version must not be able to send the application's
 *       logins and data to another server. A pending version that differs is skipped, counted in
 *       {@link DataSourceMetrics#pendingIgnored()} and logged once (field names only);</li>
 *   <li>if neither logs in, waits a bounded, jittered delay and repeats ({@link RetryPolicy}).</li>
 * </ol>
 * Once pending credentials have logged in, later connections use them first for as long as AWSCURRENT
 * still names the refused version, so the rotation window costs one request, not one per connection.
 * Other errors (server down, timeouts, TLS failures) are thrown at once, unchanged.
 *
 * <p>TLS is verified unless the secret says {@code "ssl": false}: {@code ssl} true or absent means
 * MySQL/MariaDB {@code sslMode=VERIFY_IDENTITY} and PostgreSQL {@code sslmode=verify-full}, trusting the
 * JVM's trust store, or only the CAs of {@link Builder#caBundle(Path)}. There is no "preferred" mode:
 * a server (or a man in the middle) that offers no TLS, or a certificate that does not verify, fails the
 * connection before any credential is sent.
 *
 * <p>Works as the underlying DataSource of a pool, e.g. HikariCP ({@code config.setDataSource(ds)},
 * with no username or password set on the pool). No password appears in {@code toString()},
 * exceptions or metrics.
 *
 * <pre>{@code
 * SecretsManagerDataSource ds = SecretsManagerDataSource.builder()
 *         .secretId("prod/dbCredentials")
 *         .client(SecretsManagerClient.create())
 *         .build();
 * try (Connection c = ds.getConnection()) { ... }
 * }</pre>
 */
public final class SecretsManagerDataSource implements DataSource {
    private static final System.Logger LOG = System.getLogger(SecretsManagerDataSource.class.getName());

    private final String secretId;
    private final SecretCache cache;
    private final Properties connectionProperties;
    private final TlsSettings tls;
    private final RetryPolicy retryPolicy;
    private final JdbcConnector connector;
    private final Sleeper sleeper;
    private final DataSourceMetrics.Counters counters = new DataSourceMetrics.Counters();
    private volatile Bridge bridge;
    /** The last pending version skipped, so that each is logged once. */
    private volatile String ignoredPendingVersion;
    private volatile int loginTimeoutSeconds;
    private volatile PrintWriter logWriter;

    private SecretsManagerDataSource(Builder b) {
        if (b.secretId == null || b.secretId.isBlank()) {
            throw new IllegalArgumentException("secretId is required: the name or ARN of the database secret");
        }
        if (b.cache == null) {
            throw new IllegalArgumentException("a SecretsManagerClient or a SecretCache is required");
        }
        this.secretId = b.secretId;
        this.cache = b.cache;
        this.connectionProperties = b.connectionProperties;
        this.tls = new TlsSettings(b.caBundle, b.allowPublicKeyRetrieval);
        this.retryPolicy = b.retryPolicy;
        this.connector = b.connector;
        this.sleeper = b.sleeper;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The secret this DataSource logs in with. */
    public String secretId() {
        return secretId;
    }

    /** The cache the credentials come from (shared with other users of it). */
    public SecretCache secretCache() {
        return cache;
    }

    /** Connection and retry counts so far; see {@link SecretCache#metrics()} for Secrets Manager requests. */
    public DataSourceMetrics metrics() {
        return counters.snapshot();
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            Connection connection = connect();
            counters.opened.increment();
            return connection;
        } catch (SQLException | RuntimeException e) {
            counters.failed.increment();
            throw e;
        }
    }

    private Connection connect() throws SQLException {
        SecretCache.State state = secrets(() -> cache.state(secretId));
        Bridge known = bridge;
        CachedSecret first = known != null && known.refusedCurrentVersion.equals(state.current.versionId())
                ? known.pending : state.current;
        Set<String> refused = new HashSet<>();
        Login login = new Login();
        Connection connection = login.attempt(first, refused);
        if (connection != null) {
            return connection;
        }
        for (int round = 0; round < retryPolicy.maxRounds(); round++) {
            if (round > 0) {
                backoff(round);
            }
            long seen = state.generation;
            state = secrets(() -> cache.refreshSince(secretId, seen));
            CachedSecret current = state.current;
            if (!refused.contains(current.versionId())) {
                connection = login.attempt(current, refused);
                if (connection != null) {
                    bridge = null;
                    return connection;
                }
            }
            SecretCache.State checked = state;
            Optional<CachedSecret> pending = secrets(() -> cache.pending(secretId, checked));
            if (pending.isPresent() && !refused.contains(pending.get().versionId())
                    && sameServer(current, pending.get())) {
                connection = login.attempt(pending.get(), refused);
                if (connection != null) {
                    // The rotation window: remember what works until AWSCURRENT moves.
                    bridge = new Bridge(current.versionId(), pending.get());
                    counters.pending.increment();
                    return connection;
                }
            }
        }
        SQLException last = login.lastRefusal;
        throw new SQLInvalidAuthorizationSpecException("the database refused the credentials of secret '" + secretId
                + "' (user '" + login.lastUser + "'), with AWSCURRENT and AWSPENDING, after " + retryPolicy.maxRounds()
                + " rounds of retries", last.getSQLState(), last.getErrorCode(), last);
    }

    /** Whether {@code pending} may be tried instead of {@code current}; if not, counts and logs it. */
    private boolean sameServer(CachedSecret current, CachedSecret pending) throws SQLException {
        List<String> differences = credentials(current).differencesFrom(credentials(pending));
        if (differences.isEmpty()) {
            return true;
        }
        counters.pendingIgnored.increment();
        if (!pending.versionId().equals(ignoredPendingVersion)) {
            ignoredPendingVersion = pending.versionId();
            LOG.log(Level.WARNING, "Secret ''{0}'': not trying its AWSPENDING version {1} after a refused login, "
                    + "because it differs from AWSCURRENT in {2}; a rotation never changes these",
                    secretId, pending.versionId(), String.join(", ", differences));
        }
        return false;
    }

    private DatabaseCredentials credentials(CachedSecret secret) throws SQLException {
        try {
            return secret.databaseCredentials();
        } catch (IllegalArgumentException e) {
            throw new SQLInvalidAuthorizationSpecException("secret '" + secretId + "' holds no usable database "
                    + "credentials: " + e.getMessage(), "28000");
        }
    }

    /** The logins of one getConnection call. */
    private final class Login {
        SQLException lastRefusal;
        String lastUser;
        boolean firstDone;

        /** A connection, or null if the database refused these credentials as an authentication failure. */
        Connection attempt(CachedSecret secret, Set<String> refused) throws SQLException {
            DatabaseCredentials credentials = credentials(secret);
            counters.attempts.increment();
            if (firstDone) {
                counters.retries.increment();
            }
            firstDone = true;
            try {
                return connector.connect(credentials.jdbcUrl(), properties(credentials));
            } catch (SQLException e) {
                if (!AuthenticationFailures.isAuthenticationFailure(e)) {
                    throw e;
                }
                counters.refused.increment();
                refused.add(secret.versionId());
                lastRefusal = e;
                lastUser = credentials.username();
                return null;
            }
        }
    }

    /** The application's properties, then TLS from the secret and the builder, timeout, user and password. */
    private Properties properties(DatabaseCredentials credentials) throws SQLException {
        Properties props = new Properties();
        connectionProperties.stringPropertyNames()
                .forEach(name -> props.setProperty(name, connectionProperties.getProperty(name)));
        tls.apply(credentials, props);
        int timeout = loginTimeoutSeconds;
        if (timeout > 0) {
            // Honour the pool's login timeout unless the application set the driver's own.
            switch (credentials.engine()) {
                case MYSQL -> props.putIfAbsent("connectTimeout", String.valueOf(timeout * 1000L));
                case POSTGRES -> props.putIfAbsent("loginTimeout", String.valueOf(timeout));
            }
        }
        props.setProperty("user", credentials.username());
        props.setProperty("password", credentials.password());
        return props;
    }

    private void backoff(int round) throws SQLException {
        Duration delay = retryPolicy.delayBefore(round);
        counters.backoffs.increment();
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting to retry the login with secret '"
                    + secretId + "'", "08001", e);
        }
    }

    /** Runs a cache call; a Secrets Manager failure becomes an SQLException naming the secret. */
    private <T> T secrets(SecretsCall<T> call) throws SQLException {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw new SQLTransientConnectionException("cannot read secret '" + secretId + "' from Secrets Manager: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), "08001", e);
        }
    }

    @FunctionalInterface
    private interface SecretsCall<T> {
        T get();
    }

    /** Pending credentials that logged in while AWSCURRENT still named a refused version. */
    private static final class Bridge {
        final String refusedCurrentVersion;
        final CachedSecret pending;

        Bridge(String refusedCurrentVersion, CachedSecret pending) {
            this.refusedCurrentVersion = refusedCurrentVersion;
            this.pending = pending;
        }
    }

    /**
     * Not supported: the credentials come from the secret. With a pool, set no username or password on it.
     */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("SecretsManagerDataSource takes its credentials from secret '"
                + secretId + "'; call getConnection() (and set no username or password on a pool)");
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /** Seconds allowed to log in; passed to the driver unless the connection properties set its own timeout. */
    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = Math.max(0, seconds);
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    /**
     * The parent of the {@link System.Logger} this data source logs to, which is a java.util.logging
     * logger unless the application installed another {@code System.LoggerFinder}.
     */
    @Override
    public Logger getParentLogger() {
        return Logger.getLogger(SecretsManagerDataSource.class.getPackageName());
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("SecretsManagerDataSource is not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "SecretsManagerDataSource{secretId=" + secretId + ", retryPolicy=" + retryPolicy + ", tls=" + tls + "}";
    }

    /** Settings for a {@link SecretsManagerDataSource}. */
    public static final class Builder {
        private String secretId;
        private SecretCache cache;
        private Properties connectionProperties = new Properties();
        private Path caBundle;
        private boolean allowPublicKeyRetrieval;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private JdbcConnector connector = JdbcConnector.driverManager();
        private Sleeper sleeper = Sleeper.system();

        private Builder() {
        }

        /** The name or ARN of the database secret (required). */
        public Builder secretId(String secretId) {
            this.secretId = secretId;
            return this;
        }

        /** Reads the secret through a new {@link SecretCache} with the default time-to-live over {@code client}. */
        public Builder client(SecretsManagerClient client) {
            this.cache = SecretCache.create(Objects.requireNonNull(client, "client"));
            return this;
        }

        /** Reads the secret through {@code cache}, e.g. one shared with other code of the application. */
        public Builder secretCache(SecretCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * Extra driver properties, e.g. {@code socketTimeout} or a client certificate. {@code user} and
         * {@code password} always come from the secret. Copied.
         *
         * @throws IllegalArgumentException naming the property if it would choose the TLS mode, the trusted
         *     CAs or how the server is verified ({@code sslMode}, {@code useSSL}, {@code sslmode},
         *     {@code sslfactory}, {@code sslrootcert}, {@code trustCertificateKeyStoreUrl},
         *     {@code allowPublicKeyRetrieval}, ...): those come from the secret's {@code ssl} key,
         *     {@link #caBundle(Path)} and {@link #allowPublicKeyRetrieval(boolean)} only
         */
        public Builder connectionProperties(Properties properties) {
            Properties copy = new Properties();
            if (properties != null) {
                properties.stringPropertyNames().forEach(n -> copy.setProperty(n, properties.getProperty(n)));
            }
            copy.remove("user");
            copy.remove("password");
            TlsSettings.checkNotSetIn(copy);
            this.connectionProperties = copy;
            return this;
        }

        /**
         * Trust only the CA certificates in this PEM file (e.g. the RDS bundle of the region) to verify the
         * server's certificate, instead of the JVM's trust store. Read now, and again when it changes.
         *
         * @throws IllegalArgumentException naming the path if it holds no readable PEM certificate
         */
        public Builder caBundle(Path pemBundle) {
            this.caBundle = TlsSettings.caBundle(Objects.requireNonNull(pemBundle, "pemBundle"));
            return this;
        }

        /**
         * Lets Connector/J fetch the server's RSA public key, which MySQL 8's {@code caching_sha2_password}
         * needs to send the password without TLS; it matters only for secrets with {@code "ssl": false}.
         * Off by default: over plaintext a man in the middle can hand over his own key and so read the
         * password. Prefer TLS, or a server account with a plugin that needs no key.
         */
        public Builder allowPublicKeyRetrieval(boolean allow) {
            this.allowPublicKeyRetrieval = allow;
            return this;
        }

        /** How refused logins are retried (default {@link RetryPolicy#defaults()}). */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** How a connection is opened (default {@link JdbcConnector#driverManager()}). */
        public Builder connector(JdbcConnector connector) {
            this.connector = Objects.requireNonNull(connector, "connector");
            return this;
        }

        /** How the retry delay is waited (default {@link Sleeper#system()}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** @throws IllegalArgumentException if the secret id or the client/cache is missing */
        public SecretsManagerDataSource build() {
            return new SecretsManagerDataSource(this);
        }
    }
}
