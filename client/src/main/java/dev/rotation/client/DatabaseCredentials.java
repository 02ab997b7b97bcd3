package dev.rotation.client;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The typed view of a rotation secret's JSON: {@code engine}, {@code host}, {@code port},
 * {@code username}, {@code password}, optional {@code dbname} and {@code ssl}. Other keys (such as
 * {@code masterarn}) are ignored. Immutable; {@link #toString()} never shows the password.
 *
 * <pre>{@code
 * DatabaseCredentials db = cache.getSecret("prod/dbCredentials").databaseCredentials();
 * String url = db.jdbcUrl();   // jdbc:postgresql://db.example:5432/app, never with credentials
 * }</pre>
 */
public final class DatabaseCredentials {
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** The database families a JDBC URL can be built for. */
    public enum Engine {
        /**
         * {@code mysql}, {@code aurora-mysql} and {@code mariadb}: all use {@code jdbc:mysql://}, because
         * MySQL Connector/J speaks the MariaDB protocol too (put mysql-connector-j on the class path).
         */
        MYSQL(3306, "jdbc:mysql://"),
        /** {@code postgres} and {@code aurora-postgresql}: {@code jdbc:postgresql://} (pgjdbc). */
        POSTGRESQL(5432, "jdbc:postgresql://");

        private final int defaultPort;
        private final String urlPrefix;

        Engine(int defaultPort, String urlPrefix) {
            this.defaultPort = defaultPort;
            this.urlPrefix = urlPrefix;
        }

        /** 3306 or 5432. */
        public int defaultPort() {
            return defaultPort;
        }

        /** The engine for a secret's {@code engine} value, case-insensitive. */
        public static Optional<Engine> fromSecretValue(String engine) {
            if (engine == null) {
                return Optional.empty();
            }
            switch (engine.strip().toLowerCase(Locale.ROOT)) {
                case "mysql":
                case "aurora-mysql":
                case "mariadb":
                    return Optional.of(MYSQL);
                case "postgres":
                case "postgresql":
                case "aurora-postgresql":
                    return Optional.of(POSTGRESQL);
                default:
                    return Optional.empty();
            }
        }
    }

    /**
     * The secret's {@code ssl} key. Unlike the rotation functions, which may fall back to plaintext for a
     * secret without {@code ssl} (and log it), an application never downgrades on its own: only an explicit
     * {@code false} means plaintext.
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
     * Reads a rotation secret's JSON.
     *
     * @throws IllegalArgumentException naming the key when the JSON is malformed, or {@code engine},
     *     {@code host}, {@code username} or {@code password} is missing or unusable; the message never
     *     contains the secret's text
     */
    public static DatabaseCredentials fromJson(String secretString) {
        if (secretString == null) {
            throw new IllegalArgumentException("the secret has no string value (binary secrets hold no database credentials)");
        }
        Map<String, Object> json;
        try {
            json = Json.parseObject(secretString);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the secret string is not a JSON object of database credentials: "
                    + e.getMessage());
        }
        String engineName = requiredString(json, "engine");
        Engine engine = Engine.fromSecretValue(engineName).orElseThrow(() -> new IllegalArgumentException(
                "the secret's engine '" + engineName + "' is not one of mysql, aurora-mysql, mariadb, postgres, "
                        + "aurora-postgresql"));
        String host = requiredString(json, "host").strip();
        checkHost(host);
        String username = requiredString(json, "username");
        Object passwordValue = json.get("password");
        if (!(passwordValue instanceof String) || ((String) passwordValue).isEmpty()) {
            throw new IllegalArgumentException("the secret has no 'password' string");
        }
        int port = port(json.get("port"), engine);
        Object db = json.get("dbname");
        if (db != null && !(db instanceof String)) {
            throw new IllegalArgumentException("the secret's 'dbname' is not a string");
        }
        String dbname = db == null || ((String) db).isBlank() ? null : (String) db;
        return new DatabaseCredentials(engineName, engine, host, port, username, (String) passwordValue, dbname,
                ssl(json.get("ssl")));
    }

    private static String requiredString(Map<String, Object> json, String key) {
        Object value = json.get(key);
        if (!(value instanceof String) || ((String) value).isBlank()) {
            throw new IllegalArgumentException("the secret has no '" + key + "' string");
        }
        return (String) value;
    }

    private static int port(Object value, Engine engine) {
        if (value == null) {
            return engine.defaultPort();
        }
        try {
            int port = value instanceof BigDecimal ? ((BigDecimal) value).intValueExact()
                    : value instanceof String ? Integer.parseInt(((String) value).strip()) : -1;
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("the secret's 'port' is not a number between 1 and 65535");
    }

    private static Ssl ssl(Object value) {
        boolean off = Boolean.FALSE.equals(value) || "false".equalsIgnoreCase(String.valueOf(value).strip());
        return off ? Ssl.DISABLED : Ssl.REQUIRED;
    }

    /** Rejects hosts that would smuggle URL parameters ({@code ?sslMode=DISABLED}) or more hosts into the URL. */
    private static void checkHost(String host) {
        String h = bare(host);
        boolean ok = h.contains(":") ? IPV6.matcher(h).matches() && h.indexOf(':') != h.lastIndexOf(':')
                : HOST_NAME.matcher(h).matches();
        if (!ok) {
            throw new IllegalArgumentException("the secret's 'host' is not a host name or IP address");
        }
    }

    /** The secret's {@code engine} value as written, e.g. {@code "aurora-mysql"}. */
    public String engineName() {
        return engineName;
    }

    public Engine engine() {
        return engine;
    }

    public String host() {
        return host;
    }

    /** The secret's {@code port}, or the engine's default (3306 / 5432) when absent. */
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
     * {@link SecretsManagerDataSource}):
     * {@code jdbc:mysql://host:port/[dbname]} for MySQL, Aurora MySQL and MariaDB,
     * {@code jdbc:postgresql://host:port/dbname} for PostgreSQL, where a missing {@code dbname}
     * means {@code postgres}, as in the reference rotation functions.
     */
    public String jdbcUrl() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String db = dbname != null ? dbname : engine == Engine.POSTGRESQL ? "postgres" : "";
        // Both drivers URL-decode the database name, so any character survives.
        String path = URLEncoder.encode(db, StandardCharsets.UTF_8).replace("+", "%20");
        return engine.urlPrefix + h + ":" + port + "/" + path;
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
