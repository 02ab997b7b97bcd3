package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import java.util.Objects;

/**
 * {@link DatabaseEngine#connect}: log in as the secret's user on the secret's server.
 *
 * @param secret whose host, port, database, user name and password to use
 * @param tls {@link DatabaseEngine.Tls#VERIFY}: TLS with certificate and host-name verification
 *     (trusting {@link ConnectionSettings#caBundle()} when set, else the JVM's trust store);
 *     {@link DatabaseEngine.Tls#DISABLED}: plaintext
 * @param settings timeouts, CA bundle and the function's TLS choices
 */
public record ConnectRequest(DatabaseSecret secret, DatabaseEngine.Tls tls, ConnectionSettings settings) {

    public ConnectRequest {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(settings, "settings");
    }

    /** The secret's port, or the given default. */
    public int port(int defaultPort) {
        return secret.port().orElse(defaultPort);
    }

    @Override
    public String toString() {
        return "ConnectRequest{secret=" + secret + ", tls=" + tls + "}";
    }
}
