package dev.rotation.shared;

import dev.rotation.secret.Engine;
import java.util.List;
import java.util.Objects;

/**
 * What the protocol needs to know about an engine before it talks to it: which secrets it handles
 * (its {@link Engine} family: the {@code engine} values and the default port), which characters new
 * passwords exclude by default, and which driver classes a login loads first (loaded ahead of time
 * by SnapStart and provisioned-concurrency priming).
 *
 * @param family the secret family this engine rotates
 * @param defaultExcludedCharacters what GetRandomPassword excludes when {@code EXCLUDE_CHARACTERS} is unset
 * @param loginClasses driver classes a login loads first; their dependencies follow when they load
 */
public record EngineDescription(Engine family, String defaultExcludedCharacters, List<String> loginClasses) {

    public EngineDescription {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(defaultExcludedCharacters, "defaultExcludedCharacters");
        loginClasses = List.copyOf(loginClasses);
    }

    /** The family's short name for logs: {@code mysql} or {@code postgres}. */
    public String name() {
        return family.family();
    }

    /** The port used when the secret has no {@code port} key. */
    public int defaultPort() {
        return family.defaultPort();
    }
}
