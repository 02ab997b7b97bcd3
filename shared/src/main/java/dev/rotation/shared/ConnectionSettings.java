package dev.rotation.shared;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the functions connect to the database, read from the function's environment.
 *
 * @param connectTimeout time allowed to open a connection and log in
 * @param queryTimeout time allowed for one statement
 * @param caBundle PEM file of CA certificates to trust for TLS; empty means the JVM's trust store
 * @param allowPlaintextFallback whether a secret without an {@code ssl} key may fall back to
 *     plaintext when the server offers no TLS
 */
public record ConnectionSettings(
        Duration connectTimeout, Duration queryTimeout, Optional<Path> caBundle, boolean allowPlaintextFallback) {
}
