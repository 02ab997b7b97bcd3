package dev.rotation.secret;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The value of alternating users' master secret (the one the rotated secret's {@code masterarn} key
 * names): {@code username} and {@code password}, and optionally the server it belongs to
 * ({@code host}, {@code port}, {@code ssl}), {@code dbname} and {@code engine}. The master secrets RDS
 * manages hold only the username and password; their server is named by system tags instead (see
 * the alternating-users rotation function). Nothing here is ever taken from the rotated secret: its
 * author must not choose where the master's password goes.
 *
 * <p>{@link #toString()} never shows the password.
 */
public final class MasterSecret {
    private final String username;
    private final String password;
    private final String host;
    private final Integer port;
    private final SslMode ssl;
    private final String dbname;
    private final String engine;

    private MasterSecret(String username, String password, String host, Integer port, SslMode ssl, String dbname,
            String engine) {
        this.username = username;
        this.password = password;
        this.host = host;
        this.port = port;
        this.ssl = ssl;
        this.dbname = dbname;
        this.engine = engine;
    }

    /**
     * Parses a master secret's SecretString.
     *
     * @throws IllegalArgumentException naming the problem (a key), never a value
     */
    public static MasterSecret parse(String secretString) {
        Map<String, JsonNode> object = Json.parseObject(secretString, "secret value");
        String username = DatabaseSecret.requiredString(object, DatabaseSecret.USERNAME);
        String password = DatabaseSecret.requiredString(object, DatabaseSecret.PASSWORD);
        String host = DatabaseSecret.optionalString(object, DatabaseSecret.HOST);
        Integer port = DatabaseSecret.port(object.get(DatabaseSecret.PORT));
        if (host == null && port != null) {
            throw new IllegalArgumentException("key 'port' is set but key 'host' is missing");
        }
        SslMode ssl = DatabaseSecret.ssl(object.get(DatabaseSecret.SSL));
        String dbname = DatabaseSecret.optionalString(object, DatabaseSecret.DBNAME);
        String engine = DatabaseSecret.optionalString(object, DatabaseSecret.ENGINE);
        DatabaseSecret.checkName(DatabaseSecret.USERNAME, username);
        DatabaseSecret.checkName(DatabaseSecret.HOST, host);
        DatabaseSecret.checkName(DatabaseSecret.DBNAME, dbname);
        return new MasterSecret(username, password, host, port, ssl, dbname, engine);
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The {@code host} key: the server this master belongs to, when the secret names it. */
    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    public OptionalInt port() {
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** The {@code ssl} key as the reference reads it; absent means verified TLS (fallback only if the function allows it). */
    public SslMode ssl() {
        return ssl;
    }

    public Optional<String> dbname() {
        return Optional.ofNullable(dbname);
    }

    public Optional<String> engine() {
        return Optional.ofNullable(engine);
    }

    @Override
    public String toString() {
        return "MasterSecret{username=" + username + ", host=" + (host == null ? "-" : host) + ", port="
                + (port == null ? "-" : port) + ", ssl=" + ssl + ", password=<redacted>}";
    }
}
