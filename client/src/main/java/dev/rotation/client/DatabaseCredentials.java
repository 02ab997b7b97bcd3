package dev.rotation.client;

import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.Engine;
import dev.rotation.secret.SslMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The typed view of a rotation secret for connecting to its database: {@code engine}, {@code host},
 * {@code port}, {@code username}, {@code password}, optional {@code dbname} and {@code ssl}, read by
 * the same {@link DatabaseSecret} the rotation functions use, so that both accept the same secrets.
 * Other keys (such as {@code masterarn}) are ignored. Immutable; {@link #toString()} never shows the
 * password.
 *
 * <pre>{@code
 * DatabaseCredentials db = cache.getSecret("prod/dbCredentials").databaseCredentials();
 * String url = db.jdbcUrl();   // jdbc:postgresql://db.example:5432/app, never with credentials
 * }</pre>
 */
public final class DatabaseCredentials {
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final String ENGINE_VALUES = Arrays.stream(Engine.values())
            .flatMap(e -> e.secretValues().stream()).collect(Collectors.joining(", "));

    /**
     * The secret's {@code ssl} key, as the application uses it. Unlike the rotation functions, which may
     * fall back to plaintext for a secret without {@code ssl} (see {@link SslMode#PREFERRED}), an
     * application never downgrades on its own: only an explicit {@code false} means plaintext.
     */
    public enum Ssl {
        /** {@code ssl} true, absent or unreadable: TLS only, with certificate and host name verification. */
        REQUIRED,
        /** {@code ssl: false} or {@code "false"}: plaintext only. */
        DISABLED
    }

    private final String engineName;
    private final Engine engine;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String dbname;
    private final Ssl ssl;

    private DatabaseCredentials(String engineName, Engine engine, String host, int port, String username,
            String password, String dbname, Ssl ssl) {
        this.engineName = engineName;
        this.engine = engine;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.dbname = dbname;
        this.ssl = ssl;
    }

    /**
     * Reads a rotation secret's JSON with {@link DatabaseSecret#parse}, then {@link #from}.
     *
     * @throws IllegalArgumentException naming the problem when the JSON is malformed or has duplicate
     *     keys, or {@code engine}, {@code host}, {@code username}, {@code password}, {@code port} or
     *     {@code dbname} is missing or unusable; the message never contains the secret's text
     */
    public static DatabaseCredentials fromJson(String secretString) {
        if (secretString == null) {
            throw new IllegalArgumentException("the secret has no string value (binary secrets hold no database credentials)");
        }
        return from(DatabaseSecret.parse(secretString));
    }

    /**
     * The connection view of a parsed secret: the engine family from {@link Engine#of}, the port from
     * the secret or the family's default.
     *
     * @throws IllegalArgumentException when {@code engine} names no family {@link Engine} knows, or
     *     {@code host} is not a host name or IP address (which could add parameters or hosts to the URL)
     */
    public static DatabaseCredentials from(DatabaseSecret secret) {
        Objects.requireNonNull(secret, "secret");
        Engine engine = Engine.of(secret.engine()).orElseThrow(() -> new IllegalArgumentException(
                "key 'engine' names no engine the client knows (" + ENGINE_VALUES + ")"));
        String host = secret.host().strip();
        checkHost(host);
        Ssl ssl = secret.ssl() == SslMode.DISABLED ? Ssl.DISABLED : Ssl.REQUIRED;
        return new DatabaseCredentials(secret.engine(), engine, host, secret.port().orElse(engine.defaultPort()),
                secret.username(), secret.password(), secret.dbname().orElse(null), ssl);
    }

    /** Rejects hosts that would smuggle URL parameters ({@code ?sslMode=DISABLED}) or more hosts into the URL. */
    private static void checkHost(String host) {
        String h = bare(host);
        boolean ok = h.contains(":") ? IPV6.matcher(h).matches() && h.indexOf(':') != h.lastIndexOf(':')
                : HOST_NAME.matcher(h).matches();
        if (!ok) {
            throw new IllegalArgumentException("key 'host' is not a host name or IP address");
        }
    }

    /** The secret's {@code engine} value as written, e.g. {@code "aurora-mysql"}. */
    public String engineName() {
        return engineName;
    }

    /** The engine family: {@link Engine#MYSQL} for mysql, aurora-mysql, mariadb and aurora; {@link Engine#POSTGRES}. */
    public Engine engine() {
        return engine;
    }

    public String host() {
        return host;
    }

    /** The secret's {@code port}, or the engine's default ({@link Engine#defaultPort()}: 3306 / 5432) when absent. */
    public int port() {
        return port;
    }

    public String username() {
        return username;
    }

    /** The password. Never log it. */
    public String password() {
        return password;
    }

    public Optional<String> dbname() {
        return Optional.ofNullable(dbname);
    }

    public Ssl ssl() {
        return ssl;
    }

    /**
     * The JDBC URL, without credentials or TLS settings (those go in the connection properties, see
     * {@link SecretsManagerDataSource}): the engine's {@link Engine#jdbcScheme()}, then
     * {@code ://host:port/dbname}. {@code jdbc:mysql} serves MySQL, Aurora MySQL and MariaDB (MySQL
     * Connector/J speaks the MariaDB protocol too); for PostgreSQL a missing {@code dbname} means
     * {@code postgres}, as in the reference rotation functions, for MySQL no default database.
     */
    public String jdbcUrl() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String db = dbname != null ? dbname : engine.defaultDatabase().orElse("");
        // Both drivers URL-decode the database name, so any character survives.
        String path = URLEncoder.encode(db, StandardCharsets.UTF_8).replace("+", "%20");
        return engine.jdbcScheme() + "://" + h + ":" + port + "/" + path;
    }

    /**
     * The names of what makes {@code other} a different server than this one, or that would turn TLS off:
     * {@code engine} (family, so mysql and mariadb are one), {@code host} (case-insensitive), {@code port}
     * (after defaulting) and {@code ssl} (when this requires TLS and {@code other} disables it). Empty when
     * {@code other} may be tried in place of this. Names only, never values.
     */
    List<String> differencesFrom(DatabaseCredentials other) {
        List<String> differences = new ArrayList<>();
        if (engine != other.engine) {
            differences.add("engine");
        }
        if (!bare(host).equalsIgnoreCase(bare(other.host))) {
            differences.add("host");
        }
        if (port != other.port) {
            differences.add("port");
        }
        if (ssl == Ssl.REQUIRED && other.ssl == Ssl.DISABLED) {
            differences.add("ssl");
        }
        return differences;
    }

    /** An IPv6 literal without the brackets a secret may or may not put around it. */
    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Same engine, server, database, user and password. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DatabaseCredentials)) {
            return false;
        }
        DatabaseCredentials other = (DatabaseCredentials) o;
        return port == other.port && engineName.equals(other.engineName) && host.equals(other.host)
                && username.equals(other.username) && password.equals(other.password)
                && Objects.equals(dbname, other.dbname) && ssl == other.ssl;
    }

    @Override
    public int hashCode() {
        return Objects.hash(engineName, host, port, username, dbname);
    }

    /** Everything but the password. */
    @Override
    public String toString() {
        return "DatabaseCredentials{engine=" + engineName + ", host=" + host + ", port=" + port + ", username="
                + username + ", dbname=" + (dbname == null ? "" : dbname) + ", ssl=" + ssl + ", password=***}";
    }
}
