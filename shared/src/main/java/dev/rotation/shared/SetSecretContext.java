package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.MasterSecret;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What setSecret hands a strategy ({@link RotationHandler#applyPendingSecret}) once it has found
 * that the pending credentials do not log in yet: both versions, the previous one on demand, a
 * login helper that applies the {@code ssl} rules, and the engine. Secrets read through it are
 * scrubbed from logs and errors like the rotated one.
 */
public final class SetSecretContext {
    private final String secretArn;
    private final String token;
    private final DatabaseSecret current;
    private final DatabaseSecret pending;
    private final Supplier<Optional<DatabaseSecret>> previous;
    private final DatabaseLogin login;
    private final SanitizedEngine engine;
    private final Function<String, MasterSecret> masterReader;
    private final Function<String, Map<String, String>> tagReader;
    private final Map<String, String> environment;
    private final RotationLog log;

    SetSecretContext(String secretArn, String token, DatabaseSecret current, DatabaseSecret pending,
            Supplier<Optional<DatabaseSecret>> previous, DatabaseLogin login, SanitizedEngine engine,
            Function<String, MasterSecret> masterReader, Function<String, Map<String, String>> tagReader,
            Map<String, String> environment, RotationLog log) {
        this.secretArn = secretArn;
        this.token = token;
        this.current = current;
        this.pending = pending;
        this.previous = previous;
        this.login = login;
        this.engine = engine;
        this.masterReader = masterReader;
        this.tagReader = tagReader;
        this.environment = environment;
        this.log = log;
    }

    /** The rotated secret's ARN, from the event. */
    public String secretArn() {
        return secretArn;
    }

    /** The version id being rotated in (the event's ClientRequestToken). */
    public String token() {
        return token;
    }

    /** The AWSCURRENT value. */
    public DatabaseSecret current() {
        return current;
    }

    /** The token's AWSPENDING value, which the database must accept when the strategy returns. */
    public DatabaseSecret pending() {
        return pending;
    }

    /**
     * The AWSPREVIOUS value, read when first asked for; empty when no version holds the label or its
     * value is unusable (logged as a warning: it is only a fallback).
     */
    public Optional<DatabaseSecret> previous() {
        return previous.get();
    }

    /** Logs in with the {@code ssl} rules and timeouts of this function. */
    public DatabaseLogin login() {
        return login;
    }

    /** The engine, behind the invocation's sanitizer: whatever it throws holds no known secret value. */
    public DatabaseEngine engine() {
        return engine;
    }

    /** {@code administration} behind the same sanitizer as {@link #engine()}. */
    public UserAdministration sanitized(UserAdministration administration) {
        return engine.withAdministration(administration);
    }

    /**
     * Reads alternating users' master secret at AWSCURRENT. Its password is scrubbed from logs and
     * errors from then on.
     *
     * @throws RotationException when it is unusable (a missing key, an engine this function does not handle)
     */
    public MasterSecret readMaster(String secretId) {
        return masterReader.apply(secretId);
    }

    /** Another secret's tags, from DescribeSecret (an RDS-managed secret's system tags name its DB instance or cluster). */
    public Map<String, String> tagsOf(String secretId) {
        return tagReader.apply(secretId);
    }

    /** The function's configuration. */
    public Map<String, String> environment() {
        return environment;
    }

    /** Writes an INFO line to the rotation log (scrubbed and escaped). */
    public void log(String message) {
        log.info(message);
    }

    /** Writes a WARN line to the rotation log (scrubbed and escaped). */
    public void warn(String message) {
        log.warn(message);
    }
}
