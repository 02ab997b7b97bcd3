package dev.rotation.shared;

import dev.rotation.secret.Engine;
import java.util.List;
import java.util.Objects;

/**
 * What the protocol needs to know about an engine before it talks to it: which secrets it handles
 * (their {@code engine} values), its default port, which characters new passwords exclude by default,
 * and which driver classes a login loads first (loaded ahead of time by SnapStart and
 * provisioned-concurrency priming). The shipped engines take the first two from their {@link Engine}
 * family ({@link #of}); an engine outside that list (a new one, or a test's) names them itself.
 *
 * @param name a short name for logs, e.g. {@code mysql}
 * @param secretValues the {@code engine} values of the secrets it rotates, the most common first
 * @param defaultPort the port used when the secret has no {@code port} key
 * @param defaultExcludedCharacters what GetRandomPassword excludes when {@code EXCLUDE_CHARACTERS} is unset
 * @param loginClasses driver classes a login loads first; their dependencies follow when they load
 */
public record EngineDescription(String name, List<String> secretValues, int defaultPort,
        String defaultExcludedCharacters, List<String> loginClasses) {

    public EngineDescription {
        Objects.requireNonNull(name, "name");
        secretValues = List.copyOf(secretValues);
        if (secretValues.isEmpty()) {
            throw new IllegalArgumentException("an engine handles at least one engine value");
        }
        if (defaultPort < 1 || defaultPort > 65535) {
            throw new IllegalArgumentException("defaultPort must be from 1 to 65535");
        }
        Objects.requireNonNull(defaultExcludedCharacters, "defaultExcludedCharacters");
        loginClasses = List.copyOf(loginClasses);
    }

    /** An engine of a family of the secret model: its name, engine values and default port. */
    public static EngineDescription of(Engine family, String defaultExcludedCharacters, List<String> loginClasses) {
        return new EngineDescription(family.family(), family.secretValues(), family.defaultPort(),
                defaultExcludedCharacters, loginClasses);
    }

    /** Whether this engine rotates secrets whose {@code engine} key is {@code secretValue}. */
    public boolean handles(String secretValue) {
        return secretValues.contains(secretValue);
    }
}
