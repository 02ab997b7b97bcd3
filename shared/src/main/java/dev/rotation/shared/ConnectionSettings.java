package dev.rotation.shared;

import dev.rotation.secret.SslMode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How the functions connect to the database, read from the function's environment.
 *
 * @param connectTimeout time allowed to open a connection and log in
 * @param queryTimeout time allowed for one statement
 * @param caBundle PEM file of CA certificates to trust for TLS; empty means the JVM's trust store
 * @param allowPlaintextFallback whether a secret without an {@code ssl} key may fall back to
 *     plaintext when the server offers no TLS (default false: that signal can be forged by anyone on
 *     the network path)
 * @param allowPublicKeyRetrieval whether a plaintext MySQL session may fetch the server's RSA key to
 *     send a caching_sha2_password password (default false: a man in the middle hands out its own key)
 */
public record ConnectionSettings(Duration connectTimeout, Duration queryTimeout, Optional<Path> caBundle,
        boolean allowPlaintextFallback, boolean allowPublicKeyRetrieval) {

    /** Environment variable: seconds allowed to connect and log in (default 5). */
    public static final String CONNECT_TIMEOUT = "DB_CONNECT_TIMEOUT_SECONDS";
    /** Environment variable: seconds allowed for one statement (default 10). */
    public static final String QUERY_TIMEOUT = "DB_QUERY_TIMEOUT_SECONDS";
    /** Environment variable: path of a PEM file of CA certificates (default: the JVM's trust store). */
    public static final String CA_BUNDLE = "DB_TLS_CA_BUNDLE";
    /** Environment variable: {@code true} allows the plaintext fallback of {@link SslMode#PREFERRED} (default false). */
    public static final String ALLOW_PLAINTEXT_FALLBACK = "ALLOW_PLAINTEXT_FALLBACK";
    /** Environment variable: {@code true} lets plaintext MySQL sessions fetch the server's RSA public key (default false). */
    public static final String ALLOW_PUBLIC_KEY_RETRIEVAL = "ALLOW_PUBLIC_KEY_RETRIEVAL";

    public ConnectionSettings {
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        if (queryTimeout == null || queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("queryTimeout must be positive");
        }
        caBundle = caBundle == null ? Optional.empty() : caBundle;
    }

    /** Without public key retrieval. */
    public ConnectionSettings(Duration connectTimeout, Duration queryTimeout, Optional<Path> caBundle,
            boolean allowPlaintextFallback) {
        this(connectTimeout, queryTimeout, caBundle, allowPlaintextFallback, false);
    }

    /** Defaults: 5 s to connect, 10 s per statement, the JVM's trust store, no plaintext fallback, no key retrieval. */
    public static ConnectionSettings defaults() {
        return fromEnvironment(Map.of());
    }

    /**
     * Reads {@value #CONNECT_TIMEOUT}, {@value #QUERY_TIMEOUT}, {@value #CA_BUNDLE},
     * {@value #ALLOW_PLAINTEXT_FALLBACK} and {@value #ALLOW_PUBLIC_KEY_RETRIEVAL}; unset or empty
     * variables take their defaults.
     *
     * @throws RotationException naming the variable when a value is invalid (or the CA bundle is not
     *     a readable file)
     */
    public static ConnectionSettings fromEnvironment(Map<String, String> environment) {
        EnvironmentVariables env = new EnvironmentVariables(environment);
        int connect = env.integer(CONNECT_TIMEOUT, 5, 1, 900);
        int query = env.integer(QUERY_TIMEOUT, 10, 1, 900);
        Optional<Path> caBundle = env.get(CA_BUNDLE).map(ConnectionSettings::caBundle);
        boolean fallback = env.flag(ALLOW_PLAINTEXT_FALLBACK, false);
        boolean publicKeyRetrieval = env.flag(ALLOW_PUBLIC_KEY_RETRIEVAL, false);
        return new ConnectionSettings(Duration.ofSeconds(connect), Duration.ofSeconds(query), caBundle, fallback,
                publicKeyRetrieval);
    }

    private static Path caBundle(String value) {
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw EnvironmentVariables.invalid(CA_BUNDLE, "is not a valid path");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw EnvironmentVariables.invalid(CA_BUNDLE, "names no readable file: " + path);
        }
        return path;
    }
}
