package dev.rotation.shared;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The rotated secret's JSON value. PLACEHOLDER: the accessors below are the contract the engines
 * use; the parsing, unknown-key preservation and redaction are still to be written.
 */
public final class DatabaseSecret {
    private final String engine;
    private final String host;
    private final Integer port;
    private final String username;
    private final String password;
    private final String dbname;

    private DatabaseSecret(String engine, String host, Integer port, String username, String password, String dbname) {
        this.engine = engine;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.dbname = dbname;
    }

    public String engine() { return engine; }
    public String host() { return host; }
    /** The {@code port} key, when present. */
    public OptionalInt port() { return port == null ? OptionalInt.empty() : OptionalInt.of(port); }
    public String username() { return username; }
    public String password() { return password; }
    /** The {@code dbname} key, when present. */
    public Optional<String> dbname() { return Optional.ofNullable(dbname); }

    @Override
    public String toString() {
        return "DatabaseSecret{engine=" + engine + ", host=" + host + ", username=" + username + ", password=<redacted>}";
    }
}
