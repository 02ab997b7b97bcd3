package dev.rotation.shared;

import java.util.Optional;
import java.util.function.BiFunction;
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
    private final DatabaseEngine engine;
    private final BiFunction<String, String, DatabaseSecret> secretReader;
    private final RotationLog log;

    SetSecretContext(String secretArn, String token, DatabaseSecret current, DatabaseSecret pending,
            Supplier<Optional<DatabaseSecret>> previous, DatabaseLogin login, DatabaseEngine engine,
            BiFunction<String, String, DatabaseSecret> secretReader, RotationLog log) {
        this.secretArn = secretArn;
        this.token = token;
        this.current = current;
        this.pending = pending;
        this.previous = previous;
        this.login = login;
        this.engine = engine;
        this.secretReader = secretReader;
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

    public DatabaseEngine engine() {
        return engine;
    }

    /**
     * Reads another secret holding a login to the same server at a staging label, for example
     * alternating users' master secret at AWSCURRENT; {@code engine}, {@code host}, {@code port} and
     * {@code ssl} it lacks are the rotated secret's (see {@link DatabaseSecret#parseLogin}). Its
     * password is scrubbed from logs and errors from then on.
     *
     * @throws RotationException when it is missing a required key or names an engine this function does not handle
     */
    public DatabaseSecret readSecret(String secretId, String stage) {
        return secretReader.apply(secretId, stage);
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
