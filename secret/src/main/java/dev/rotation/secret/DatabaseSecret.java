package dev.rotation.secret;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The rotated secret's JSON value: {@code engine}, {@code host}, {@code username}, {@code password},
 * optional {@code port}, {@code dbname}, {@code ssl} and {@code masterarn}. Every other key is kept
 * with its position and JSON type, so {@link #toJson()} writes back what it read with only the
 * changed values replaced.
 *
 * <pre>{@code
 * DatabaseSecret current = DatabaseSecret.parse(secretString);
 * DatabaseSecret pending = current.withPassword(newPassword);
 * client.putSecretValue(r -> r.secretId(arn).clientRequestToken(token)
 *         .secretString(pending.toJson()).versionStages("AWSPENDING"));
 * }</pre>
 *
 * <p>Immutable. {@link #toString()} never shows the password nor the values of unknown keys;
 * parse errors name the problem, never a value.
 */
public final class DatabaseSecret {
    static final String ENGINE = "engine";
    static final String HOST = "host";
    static final String PORT = "port";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String DBNAME = "dbname";
    static final String SSL = "ssl";
    static final String MASTER_ARN = "masterarn";
    private static final List<String> KNOWN_KEYS = List.of(ENGINE, HOST, PORT, USERNAME, PASSWORD, DBNAME, SSL, MASTER_ARN);

    /** Every key of the JSON object in order; values are the parsed {@link JsonNode} or a replacement String. */
    private final Map<String, Object> fields;
    private final String engine;
    private final String host;
    private final Integer port;
    private final String username;
    private final String password;
    private final String dbname;
    private final SslMode ssl;
    private final String masterArn;

    private DatabaseSecret(Map<String, Object> fields, String engine, String host, Integer port, String username,
            String password, String dbname, SslMode ssl, String masterArn) {
        this.fields = Collections.unmodifiableMap(fields);
        this.engine = engine;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.dbname = dbname;
        this.ssl = ssl;
        this.masterArn = masterArn;
    }

    /**
     * Parses a SecretString.
     *
     * @throws IllegalArgumentException naming the problem, for example {@code key 'host' is missing};
     *     the message never contains a value from the secret
     */
    public static DatabaseSecret parse(String secretString) {
        Map<String, JsonNode> object = Json.parseObject(secretString, "secret value");
        String engine = requiredString(object, ENGINE);
        String host = requiredString(object, HOST);
        String username = requiredString(object, USERNAME);
        String password = requiredString(object, PASSWORD);
        Integer port = port(object.get(PORT));
        String dbname = optionalString(object, DBNAME);
        String masterArn = optionalString(object, MASTER_ARN);
        SslMode ssl = ssl(object.get(SSL));
        checkName(USERNAME, username);
        checkName(HOST, host);
        checkName(DBNAME, dbname);
        return new DatabaseSecret(new LinkedHashMap<>(object), engine, host, port, username, password, dbname, ssl,
                masterArn);
    }

    /**
     * Refuses a name (user, host, database) holding a control character or a Unicode line separator:
     * no server needs one, drivers and SQL quoting treat them unevenly, and in a log or an error they
     * would forge lines.
     */
    static void checkName(String key, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new IllegalArgumentException("key '" + key + "' contains a control character or line separator"
                        + " (at index " + i + ")");
            }
        }
    }

    static String requiredString(Map<String, JsonNode> object, String key) {
        JsonNode node = object.get(key);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("key '" + key + "' is missing");
        }
        if (!node.isString()) {
            throw new IllegalArgumentException("key '" + key + "' must be a string");
        }
        String value = node.asString();
        if (value.isBlank()) {
            throw new IllegalArgumentException("key '" + key + "' is empty");
        }
        return value;
    }

    static String optionalString(Map<String, JsonNode> object, String key) {
        JsonNode node = object.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new IllegalArgumentException("key '" + key + "' must be a string");
        }
        return node.asString().isBlank() ? null : node.asString();
    }

    /** A JSON number or a string of digits (both are in use), a whole number from 1 to 65535. */
    static Integer port(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String text;
        if (node.isNumber()) {
            text = node.asNumber();
        } else if (node.isString() && node.asString().trim().matches("[0-9]{1,5}")) {
            text = node.asString().trim();
        } else {
            throw new IllegalArgumentException("key 'port' must be a number");
        }
        try {
            int port = new BigDecimal(text).intValueExact();
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("key 'port' must be a whole number from 1 to 65535");
    }

    /** As the reference reads it: booleans and "true"/"false" in any case; anything else means "try TLS". */
    static SslMode ssl(JsonNode node) {
        if (node == null) {
            return SslMode.PREFERRED;
        }
        if (node.isBoolean()) {
            return node.asBoolean() ? SslMode.REQUIRED : SslMode.DISABLED;
        }
        if (node.isString()) {
            String value = node.asString().toLowerCase(Locale.ROOT);
            if (value.equals("true")) {
                return SslMode.REQUIRED;
            }
            if (value.equals("false")) {
                return SslMode.DISABLED;
            }
        }
        return SslMode.PREFERRED;
    }

    /**
     * Builds a secret value from scratch, for example to create a secret in tests or tools. The
     * result is validated like a parsed one.
     *
     * <pre>{@code
     * String json = DatabaseSecret.builder().engine("mysql").host("db").port(3306)
     *         .username("app").password(password).ssl(SslMode.REQUIRED).build().toJson();
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects keys in the order they are set; {@link #build()} validates them. */
    public static final class Builder {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder engine(String engine) {
            return field(ENGINE, engine);
        }

        public Builder host(String host) {
            return field(HOST, host);
        }

        public Builder port(int port) {
            fields.put(PORT, port);
            return this;
        }

        public Builder username(String username) {
            return field(USERNAME, username);
        }

        public Builder password(String password) {
            return field(PASSWORD, password);
        }

        public Builder dbname(String dbname) {
            return field(DBNAME, dbname);
        }

        public Builder masterArn(String masterArn) {
            return field(MASTER_ARN, masterArn);
        }

        /** {@code REQUIRED} writes {@code "ssl": true}, {@code DISABLED} {@code false}, {@code PREFERRED} no key. */
        public Builder ssl(SslMode ssl) {
            if (ssl == SslMode.PREFERRED) {
                fields.remove(SSL);
            } else {
                fields.put(SSL, ssl == SslMode.REQUIRED);
            }
            return this;
        }

        /** Any other key, with a string value (kept as is by the functions). */
        public Builder field(String key, String value) {
            fields.put(key, value);
            return this;
        }

        /** @throws IllegalArgumentException as {@link DatabaseSecret#parse} does */
        public DatabaseSecret build() {
            return parse(Json.write(fields));
        }

        @Override
        public String toString() {
            return "DatabaseSecret.Builder{keys=" + fields.keySet() + "}";
        }
    }

    /** The {@code engine} key as written, for example {@code mysql} or {@code aurora-postgresql}. */
    public String engine() {
        return engine;
    }

    public String host() {
        return host;
    }

    /** The {@code port} key, when present. */
    public OptionalInt port() {
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The {@code dbname} key, when present and not empty. */
    public Optional<String> dbname() {
        return Optional.ofNullable(dbname);
    }

    /** The {@code ssl} key as the reference functions read it. */
    public SslMode ssl() {
        return ssl;
    }

    /** The {@code masterarn} key (alternating users: the secret holding an admin login), when present. */
    public Optional<String> masterArn() {
        return Optional.ofNullable(masterArn);
    }

    /** A copy with another password; every other key unchanged and in place. */
    public DatabaseSecret withPassword(String newPassword) {
        requireNonBlank(newPassword, PASSWORD);
        return new DatabaseSecret(replaced(PASSWORD, newPassword), engine, host, port, username, newPassword, dbname,
                ssl, masterArn);
    }

    /** A copy with another user name; every other key unchanged and in place. */
    public DatabaseSecret withUsername(String newUsername) {
        requireNonBlank(newUsername, USERNAME);
        checkName(USERNAME, newUsername);
        return new DatabaseSecret(replaced(USERNAME, newUsername), engine, host, port, newUsername, password, dbname,
                ssl, masterArn);
    }

    private static void requireNonBlank(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("new value of key '" + key + "' is empty");
        }
    }

    private Map<String, Object> replaced(String key, String value) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.put(key, value);
        return copy;
    }

    /** The secret as a SecretString: the keys in their original order, unknown keys with their JSON types. */
    public String toJson() {
        return Json.write(fields);
    }

    /** Names of the keys this class does not interpret, in their original order. */
    public List<String> otherKeys() {
        List<String> other = new ArrayList<>();
        for (String key : fields.keySet()) {
            if (!KNOWN_KEYS.contains(key)) {
                other.add(key);
            }
        }
        return other;
    }

    /** Same JSON text (key order included). */
    @Override
    public boolean equals(Object o) {
        return o instanceof DatabaseSecret other && toJson().equals(other.toJson());
    }

    @Override
    public int hashCode() {
        return Objects.hash(engine, host, port, username);
    }

    /** Never shows the password nor the values of unknown keys (they may be secrets too). */
    @Override
    public String toString() {
        return "DatabaseSecret{engine=" + engine + ", host=" + host + ", port=" + (port == null ? "-" : port)
                + ", username=" + username + ", dbname=" + (dbname == null ? "-" : dbname) + ", ssl=" + ssl
                + (masterArn == null ? "" : ", masterarn=" + masterArn) + ", password=<redacted>"
                + (otherKeys().isEmpty() ? "" : ", otherKeys=" + otherKeys()) + "}";
    }
}
