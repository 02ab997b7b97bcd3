package dev.rotation.testkit.faults;

import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.RotationWorld;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.secret.DatabaseSecret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * One rotation under test: a fresh application user (and for alternating users a master user and
 * its secret), its secret, and the service's value-less AWSPENDING version under a new token. The
 * test plays the service: it invokes the steps, retries after a failure, and checks the invariant
 * after every invocation and the end state after the last.
 *
 * <p>The invariant: every database user named by the AWSCURRENT or AWSPREVIOUS version logs in with
 * the password of some stored version naming it (AWSCURRENT, AWSPENDING or AWSPREVIOUS). With
 * alternating users, the AWSCURRENT credentials themselves log in at every moment (zero downtime).
 * A user named only by AWSPENDING (the clone a first alternating rotation creates, deliberately
 * without a password anyone knows until its privileges are in place) may not log in yet: nothing
 * depends on it.
 */
public final class Scenario {
    static final String CURRENT = "AWSCURRENT";
    static final String PENDING = "AWSPENDING";
    static final String PREVIOUS = "AWSPREVIOUS";
    static final List<String> STEPS = List.of(RotationStep.CREATE_SECRET, RotationStep.SET_SECRET,
            RotationStep.TEST_SECRET, RotationStep.FINISH_SECRET);

    /** How the service retries after a step failed. */
    public enum RetryMode {
        /** Invoke the failed step again, then go on. */
        SAME_STEP,
        /** Start the whole rotation again, with the same token. */
        RESTART
    }

    /** How a driven rotation ended. */
    public record Result(boolean converged, int failedInvocations, String problem) {
    }

    final RotationWorld world;
    final Strategy strategy;
    /** The application user the scenario created (the base name of an alternating pair). */
    final String username;
    /** The AWSCURRENT user name and password when the rotation under test started. */
    String originalUser;
    String originalPassword;
    final String arn;
    String originalVersion;
    String originalValue;
    /** The rotation's token once started; volatile because rotations may start in other threads. */
    volatile String token;
    /** Every password this scenario knows of, for the leak checks. */
    final Set<String> passwords = new LinkedHashSet<>();
    /** Every exception the handler threw while driven. */
    final List<Throwable> thrown = new CopyOnWriteArrayList<>();

    private Scenario(RotationWorld world, Strategy strategy, String username, String originalPassword, String arn,
            String masterPassword) {
        this.world = world;
        this.strategy = strategy;
        this.username = username;
        this.arn = arn;
        snapshotCurrent();
        if (masterPassword != null) {
            passwords.add(masterPassword);
        }
    }

    /** Takes the AWSCURRENT version as the one the rotation under test starts from. */
    private void snapshotCurrent() {
        originalVersion = versionHolding(CURRENT).orElseThrow();
        originalValue = world.sm.getSecretValue(r -> r.secretId(arn).versionStage(CURRENT)).secretString();
        DatabaseSecret current = DatabaseSecret.parse(originalValue);
        originalUser = current.username();
        originalPassword = current.password();
        passwords.add(originalPassword);
    }

    /**
     * Calls RotateSecret with {@code functionArn}; returns the new token (also kept as this
     * scenario's). The rotation runs in the background; await it with the server.
     */
    public String rotateSecretWith(String functionArn) {
        String versionId = world.sm.rotateSecret(r -> r.secretId(arn).rotationLambdaARN(functionArn)
                .rotationRules(rules -> rules.automaticallyAfterDays(30L))).versionId();
        token = versionId;
        return versionId;
    }

    /** A new user and secret for {@code strategy}, with rotation started and AWSPENDING value-less. */
    public static Scenario start(RotationWorld world, Strategy strategy) {
        return start(world, strategy, null, null);
    }

    /** As {@link #start(RotationWorld, Strategy)}, with the secret pointing at another host and port (a proxy). */
    public static Scenario start(RotationWorld world, Strategy strategy, String host, Integer port) {
        return start(world, strategy, host, port, 0);
    }

    /**
     * As {@link #start(RotationWorld, Strategy)}, after {@code priorRotations} complete fault-free
     * rotations (with alternating users, one prior rotation makes the rotation under test switch
     * back from the clone to the base user, whose password changes while it is AWSPREVIOUS).
     */
    public static Scenario start(RotationWorld world, Strategy strategy, String host, Integer port, int priorRotations) {
        Scenario scenario = create(world, strategy, host, port);
        for (int i = 0; i < priorRotations; i++) {
            scenario.rotateSecretWith(RotationWorld.NOOP_FUNCTION);
            if (!world.server.awaitRotations(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the local Secrets Manager did not finish the set-up rotation");
            }
            Result prior = scenario.drive(world.handler(strategy), RetryMode.SAME_STEP, 0);
            if (!prior.converged()) {
                throw new IllegalStateException("a fault-free prior rotation failed: " + prior.problem());
            }
            scenario.snapshotCurrent();
        }
        scenario.rotateSecretWith(RotationWorld.NOOP_FUNCTION);
        if (!world.server.awaitRotations(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the local Secrets Manager did not finish the set-up rotation");
        }
        return scenario;
    }

    /** A new user and its secret, rotation not started; {@code host} and {@code port} null for the database's. */
    public static Scenario create(RotationWorld world, Strategy strategy, String host, Integer port) {
        String username = "flt_" + RotationWorld.random(4);
        String password = RotationWorld.randomPassword();
        world.newAppUser(username, password);
        String masterArn = null;
        String masterPassword = null;
        if (strategy == Strategy.ALTERNATING_USERS) {
            String master = "fm_" + RotationWorld.random(4);
            masterPassword = RotationWorld.randomPassword();
            world.createMaster(master, masterPassword, username);
            // No dbname: the master logs in to its engine's administrative default, never the rotated secret's.
            String masterJson = secret(world, master, masterPassword, host, port).build().toJson();
            masterArn = world.sm.createSecret(r -> r.name("faults/master-" + RotationWorld.random(4))
                    .secretString(masterJson)).arn();
        }
        DatabaseSecret.Builder secret = secret(world, username, password, host, port).dbname(world.dbName);
        if (masterArn != null) {
            secret.masterArn(masterArn);
        }
        String json = secret.field("team", "payments").build().toJson();
        String arn = world.sm.createSecret(r -> r.name("faults/" + RotationWorld.random(4)).secretString(json)).arn();
        return new Scenario(world, strategy, username, password, arn, masterPassword);
    }

    /** Plaintext by default: the test servers offer no TLS, and ssl=false keeps one login per connect. */
    private static DatabaseSecret.Builder secret(RotationWorld world, String username, String password, String host,
            Integer port) {
        return DatabaseSecret.builder().engine(world.db.engine()).host(host == null ? world.db.host() : host)
                .port(port == null ? world.db.port() : port).username(username).password(password)
                .ssl(world.ssl);
    }

    /**
     * Plays the service: the four steps in order; after a failure the same step again or the whole
     * rotation again, at most {@code maxFailures} failed invocations. Checks the invariant after
     * every invocation and the end state at the end.
     */
    public Result drive(RequestHandler<SecretsManagerRotationEvent, Void> handler, RetryMode mode, int maxFailures) {
        int failures = 0;
        int step = 0;
        String lastFailure = null;
        try {
            while (step < STEPS.size()) {
                Optional<Throwable> failure = RotationWorld.invoke(handler, STEPS.get(step), arn, token);
                String invariant = invariantProblem();
                if (invariant != null) {
                    return new Result(false, failures, "after " + STEPS.get(step) + (failure.isPresent() ? " failed" : "")
                            + ": " + invariant);
                }
                if (failure.isEmpty()) {
                    step++;
                    continue;
                }
                thrown.add(failure.get());
                failures++;
                lastFailure = STEPS.get(step) + ": " + failure.get().getMessage();
                if (failures > maxFailures) {
                    return new Result(false, failures, "gave up after " + failures + " failed invocations; last: "
                            + lastFailure);
                }
                if (mode == RetryMode.RESTART) {
                    step = 0;
                }
            }
            String end = endStateProblem();
            return new Result(end == null, failures, end);
        } catch (RuntimeException e) {
            return new Result(false, failures, "the check itself failed: " + e);
        }
    }

    // ---- the invariant --------------------------------------------------------------------------

    /** Version id to its labels. */
    Map<String, List<String>> labels() {
        Map<String, List<String>> labels = new TreeMap<>();
        world.sm.describeSecret(r -> r.secretId(arn)).versionIdsToStages()
                .forEach((version, stages) -> labels.put(version, stages.stream().sorted().toList()));
        return labels;
    }

    Optional<String> versionHolding(String stage) {
        return labels().entrySet().stream().filter(e -> e.getValue().contains(stage)).map(Map.Entry::getKey)
                .findFirst();
    }

    Optional<DatabaseSecret> valueAt(String stage) {
        Optional<String> version = versionHolding(stage);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        try {
            String value = world.sm.getSecretValue(r -> r.secretId(arn).versionId(version.get()).versionStage(stage))
                    .secretString();
            DatabaseSecret secret = DatabaseSecret.parse(value);
            passwords.add(secret.password());
            return Optional.of(secret);
        } catch (ResourceNotFoundException noValue) {
            return Optional.empty();
        }
    }

    boolean canLogin(String user, String password) {
        return world.db.canLogin(world.dbName, user, password);
    }

    /** One invariant check asks about the same credentials at most once: logins are the slow part. */
    private final class Logins {
        private final Map<String, Boolean> answers = new java.util.HashMap<>();

        boolean canLogin(String user, String password) {
            return answers.computeIfAbsent(user + '\u0000' + password, key -> Scenario.this.canLogin(user, password));
        }
    }

    /** Null when the invariant holds, else what is wrong (never a password). */
    String invariantProblem() {
        Optional<DatabaseSecret> current = valueAt(CURRENT);
        Optional<DatabaseSecret> pending = valueAt(PENDING);
        Optional<DatabaseSecret> previous = valueAt(PREVIOUS);
        if (current.isEmpty()) {
            return "no AWSCURRENT value";
        }
        List<DatabaseSecret> stored = new ArrayList<>();
        current.ifPresent(stored::add);
        pending.ifPresent(stored::add);
        previous.ifPresent(stored::add);
        Logins logins = new Logins();
        if (strategy == Strategy.ALTERNATING_USERS
                && !logins.canLogin(current.get().username(), current.get().password())) {
            return "the AWSCURRENT user " + current.get().username() + " does not log in with the AWSCURRENT password";
        }
        Set<String> named = new LinkedHashSet<>();
        named.add(current.get().username());
        previous.ifPresent(p -> named.add(p.username()));
        for (String user : named) {
            boolean any = stored.stream().filter(s -> s.username().equals(user))
                    .anyMatch(s -> logins.canLogin(user, s.password()));
            if (!any) {
                return "user " + user + " logs in with no stored version's password (lost credentials)";
            }
        }
        return null;
    }

    /** Null when the rotation finished as the service expects, else what is wrong. */
    String endStateProblem() {
        Map<String, List<String>> labels = labels();
        if (!labels.getOrDefault(token, List.of()).contains(CURRENT)) {
            return "AWSCURRENT is not on the token's version: " + labels;
        }
        if (!labels.getOrDefault(originalVersion, List.of()).contains(PREVIOUS)) {
            return "AWSPREVIOUS is not on the original version: " + labels;
        }
        for (Map.Entry<String, List<String>> e : labels.entrySet()) {
            if (e.getValue().contains(PENDING) && !e.getValue().contains(CURRENT)) {
                return "a stray AWSPENDING on version " + e.getKey() + ": " + labels;
            }
        }
        String previousValue = world.sm.getSecretValue(r -> r.secretId(arn).versionId(originalVersion)
                .versionStage(PREVIOUS)).secretString();
        if (!previousValue.equals(originalValue)) {
            return "AWSPREVIOUS does not hold the original value";
        }
        DatabaseSecret current = valueAt(CURRENT).orElseThrow();
        if (!canLogin(current.username(), current.password())) {
            return "the AWSCURRENT credentials do not log in";
        }
        if (strategy == Strategy.SINGLE_USER) {
            if (!current.username().equals(username)) {
                return "single-user rotation changed the user name";
            }
            if (canLogin(username, originalPassword)) {
                return "the old password still logs in";
            }
            if (world.db.userExists(username + "_clone")) {
                return "single-user rotation created a user";
            }
        } else {
            String expected = originalUser.equals(username) ? username + "_clone" : username;
            if (!current.username().equals(expected)) {
                return "alternating users did not switch from " + originalUser + " to " + expected;
            }
            if (!canLogin(originalUser, originalPassword)) {
                return "the previous user no longer logs in with the AWSPREVIOUS password";
            }
            if (world.db.userExists(username + "_clone_clone")) {
                return "an extra user " + username + "_clone_clone exists";
            }
        }
        return null;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Null when every captured log line is one JSON object on one line and no known password appears
     * in a log line or an error message of this scenario.
     */
    String leakProblem() {
        for (String line : world.logLines) {
            try {
                if (line.contains("\n") || line.contains("\r") || !JSON.readTree(line).isObject()) {
                    return "a log line is not one JSON object on one line";
                }
            } catch (java.io.IOException e) {
                return "a log line is not JSON: " + e.getClass().getSimpleName();
            }
        }
        List<String> texts = new ArrayList<>(world.logLines);
        for (Throwable t : thrown) {
            for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
                texts.add(String.valueOf(c.getMessage()));
                texts.add(c.toString());
            }
        }
        int index = 0;
        for (String password : passwords) {
            for (String text : texts) {
                if (text.contains(password)) {
                    return "password #" + index + " appears in a log line or error (not shown)";
                }
            }
            index++;
        }
        return null;
    }
}
