package dev.rotation.shared;

import java.util.Objects;

/**
 * What an engine did to set a password, for the log: for example {@code "ALTER USER ... IDENTIFIED BY ?"}
 * or {@code "a SCRAM-SHA-256 verifier"}. Never the password or a hash of it.
 *
 * @param method how the password reached the server
 */
public record PasswordChange(String method) {

    public PasswordChange {
        Objects.requireNonNull(method, "method");
    }
}
