package dev.rotation.secret;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The database families the secret's {@code engine} key names, with the values that select each, its
 * default port and its JDBC URL scheme: the one list the functions, the client and the tools read.
 *
 * <pre>{@code
 * Engine.of(secret.engine())            // Optional[MYSQL] for "aurora-mysql"
 * Engine.MYSQL.defaultPort()            // 3306
 * }</pre>
 */
public enum Engine {
    /**
     * MySQL, MariaDB and Aurora MySQL: the values RDS uses ({@code mysql}, {@code mariadb},
     * {@code aurora-mysql}, and {@code aurora} for Aurora MySQL 5.6-compatible clusters, which some
     * older secrets carry).
     */
    MYSQL("mysql", 3306, "jdbc:mysql", null, List.of("mysql", "aurora-mysql", "mariadb", "aurora")),
    /** PostgreSQL and Aurora PostgreSQL: {@code postgres} and {@code aurora-postgresql}, as RDS writes them. */
    POSTGRES("postgres", 5432, "jdbc:postgresql", "postgres", List.of("postgres", "aurora-postgresql"));

    private final String family;
    private final int defaultPort;
    private final String jdbcScheme;
    private final String defaultDatabase;
    private final List<String> secretValues;

    Engine(String family, int defaultPort, String jdbcScheme, String defaultDatabase, List<String> secretValues) {
        this.family = family;
        this.defaultPort = defaultPort;
        this.jdbcScheme = jdbcScheme;
        this.defaultDatabase = defaultDatabase;
        this.secretValues = secretValues;
    }

    /** The family a secret's {@code engine} value names; values are compared exactly, as RDS writes them. */
    public static Optional<Engine> of(String secretValue) {
        if (secretValue == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(e -> e.secretValues.contains(secretValue)).findFirst();
    }

    /** A short name for logs: {@code mysql} or {@code postgres}. */
    public String family() {
        return family;
    }

    /** The port when the secret has no {@code port} key. */
    public int defaultPort() {
        return defaultPort;
    }

    /** {@code jdbc:mysql} or {@code jdbc:postgresql}. */
    public String jdbcScheme() {
        return jdbcScheme;
    }

    /**
     * The database a login uses when the secret has no {@code dbname}: {@code postgres} for
     * PostgreSQL (a connection always names one; the reference functions use this one), none for
     * MySQL (a session needs no default database).
     */
    public Optional<String> defaultDatabase() {
        return Optional.ofNullable(defaultDatabase);
    }

    /** The {@code engine} values of this family, the most common first. */
    public List<String> secretValues() {
        return secretValues;
    }
}
