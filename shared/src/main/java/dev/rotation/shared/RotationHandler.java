package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.MasterSecret;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The Secrets Manager rotation protocol, once for every engine and strategy: the entry checks and
 * the four steps {@code createSecret}, {@code setSecret}, {@code testSecret} and
 * {@code finishSecret}, each idempotent because the service retries a failed rotation with the
 * same token. A strategy subclass supplies only what differs between strategies:
 * {@link #pendingSecret} (what createSecret stores as the new version) and
 * {@link #applyPendingSecret} (how setSecret makes the database accept it).
 *
 * <p>Every invocation writes one JSON log line when a step starts and one when it ends
 * (succeeded, skipped or failed, with its duration and reason), and before the end line the step's
 * CloudWatch metrics in Embedded Metric Format ({@link RotationMetrics}); failures leave as a
 * {@link RotationException} naming the step and the problem. Known secret values are scrubbed from
 * both. Nothing changes in the secret or the database unless every check before the change passed.
 *
 * <pre>{@code
 * public final class MySqlRotationHandler extends SingleUserRotationHandler {
 *     public MySqlRotationHandler() {
 *         super(new MySqlEngine());          // Lambda: client and environment from the process
 *     }
 * }
 * // in a test: new SingleUserRotationHandler(fakeClient, Map.of("PASSWORD_LENGTH", "40"), engine, lines::add)
 * }</pre>
 */
public abstract class RotationHandler implements RequestHandler<SecretsManagerRotationEvent, Void>, RequestStreamHandler {
    private final Supplier<SecretsManagerClient> client;
    private final Map<String, String> environment;
    private final DatabaseEngine engine;
    private final Consumer<String> logSink;

    /** For Lambda: the shared client and the process environment, logs on stdout. */
    protected RotationHandler(DatabaseEngine engine) {
        this(SecretsManagerClients::shared, System.getenv(), engine, System.out::println);
    }

    /**
     * @param client the Secrets Manager client to use
     * @param environment the function's configuration (the environment variables it would read)
     * @param engine how to log in and change passwords
     * @param logSink receives each JSON log line
     */
    protected RotationHandler(SecretsManagerClient client, Map<String, String> environment, DatabaseEngine engine,
            Consumer<String> logSink) {
        this(() -> client, environment, engine, logSink);
        Objects.requireNonNull(client, "client");
    }

    private RotationHandler(Supplier<SecretsManagerClient> client, Map<String, String> environment,
            DatabaseEngine engine, Consumer<String> logSink) {
        this.client = client;
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.engine = Objects.requireNonNull(engine, "engine");
        this.logSink = Objects.requireNonNull(logSink, "logSink");
    }

    /**
     * What createSecret stores as the new AWSPENDING version, given the current secret and a new
     * password from GetRandomPassword. Single user: the current secret with the new password.
     */
    protected abstract DatabaseSecret pendingSecret(DatabaseSecret current, String newPassword);

    /**
     * Makes the database accept the pending credentials. Called by setSecret only after it found
     * that they do not log in yet; must be safe to run again after a partial failure.
     *
     * @return how the password reached the server, for setSecret's log line
     * @throws RotationException naming the problem
     */
    protected abstract PasswordChange applyPendingSecret(SetSecretContext context);

    /** The function's configuration, as given to the constructor. */
    protected final Map<String, String> environment() {
        return environment;
    }

    /**
     * The entry point Lambda calls: template.yaml names the class without a method, and the runtime
     * takes a {@link RequestStreamHandler} as one directly (with {@code ::handleRequest} it would search
     * the overloads by reflection, and still pick this one). The event is read with
     * the SDK's JSON parser, so the runtime's reflective serializer stays out of the cold start; the
     * answer is {@code null}, as the runtime writes for {@link #handleRequest(SecretsManagerRotationEvent, Context)}.
     */
    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        SecretsManagerRotationEvent event = RotationEvents.read(input);
        if (Preflight.STEP.equals(event.getStep())) {
            output.write(preflight(event.getSecretId(), context).getBytes(StandardCharsets.UTF_8));
            return;
        }
        handleRequest(event, context);
        output.write("null".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The preflight event ({@code {"Step": "preflight", "SecretId": ...}}): checks, changing nothing,
     * whether a rotation of the secret would work from here, and answers with the checks as JSON
     * ({@link Preflight}). One log line at the start and one at the end; no metrics (it is no step).
     */
    final String preflight(String secretId, Context context) {
        long start = System.nanoTime();
        SecretScrubber scrubber = new SecretScrubber();
        RotationLog.Level level;
        try {
            level = RotationLog.Level.fromEnvironment(new EnvironmentVariables(environment));
        } catch (RotationException e) {
            level = RotationLog.Level.INFO; // the configuration check reports it
        }
        RotationLog log = new RotationLog(logSink, level, scrubber, Preflight.STEP, secretId, null,
                context == null ? null : context.getAwsRequestId(), null);
        log.started();
        Preflight preflight = new Preflight(secretId, context == null ? null : context.getInvokedFunctionArn(),
                environment, client, engine, preflightCheckNames(), this::preflightChecks, log, scrubber);
        String answer = preflight.run();
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (preflight.ok()) {
            log.succeeded(millis, preflight.summary());
        } else {
            log.failed(millis, preflight.summary());
        }
        return answer;
    }

    /** The names of the strategy's own preflight checks (listed as not checked when they cannot run). */
    List<String> preflightCheckNames() {
        return List.of();
    }

    /** The strategy's own preflight checks, after the rotated secret's login was checked. */
    void preflightChecks(Preflight.Run run) {
    }

    /** Runs one rotation step. Returns normally when the step succeeded or had nothing to do. */
    @Override
    public final Void handleRequest(SecretsManagerRotationEvent event, Context context) {
        long start = System.nanoTime();
        String step = event == null ? null : event.getStep();
        String secretArn = event == null ? null : event.getSecretId();
        String token = event == null ? null : event.getClientRequestToken();
        SecretScrubber scrubber = new SecretScrubber();
        EnvironmentVariables env = new EnvironmentVariables(environment);
        RotationLog.Level level = RotationLog.Level.INFO;
        RuntimeException configurationError = null;
        try {
            level = RotationLog.Level.fromEnvironment(env);
        } catch (RotationException e) {
            configurationError = e;
        }
        RotationMetrics metrics = RotationMetrics.fromEnvironment(env, getClass().getSimpleName());
        configurationError = configurationError == null ? metrics.problem() : configurationError;
        RotationLog log = new RotationLog(logSink, level, scrubber, step, secretArn, token,
                context == null ? null : context.getAwsRequestId(), metrics);
        log.started();
        try {
            if (configurationError != null) {
                throw configurationError;
            }
            Invocation invocation = new Invocation(step, secretArn, token, env, scrubber, log);
            Outcome outcome = invocation.run();
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (outcome.skipped) {
                log.skipped(millis, outcome.message);
            } else {
                log.succeeded(millis, outcome.message);
            }
            return null;
        } catch (Error e) {
            log.failed((System.nanoTime() - start) / 1_000_000, scrubber.scrub(reasonOf(e)));
            throw e;
        } catch (RuntimeException e) {
            String reason = scrubber.scrub(reasonOf(e));
            log.failed((System.nanoTime() - start) / 1_000_000, reason);
            Throwable cause = e instanceof RotationException ? e.getCause() : e;
            // printable: the reason may quote a user name or host from the secret, line breaks included.
            throw new RotationException(SecretScrubber.printable(scrubber.scrub(step + " failed for secret " + secretArn
                    + ": " + reason)), scrubber.scrub(cause));
        }
    }

    private static String reasonOf(Throwable e) {
        if (e instanceof RotationException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** How a step ended when it did not fail. */
    private record Outcome(boolean skipped, String message) {
        static Outcome done(String message) {
            return new Outcome(false, message);
        }

        static Outcome skipped(String message) {
            return new Outcome(true, message);
        }
    }

    /** One invocation: the event, its configuration and what it has learnt so far. */
    private final class Invocation {
        private final String stepName;
        private final String secretArn;
        private final String token;
        private final EnvironmentVariables env;
        private final SecretScrubber scrubber;
        private final RotationLog log;
        private SecretsManagerClient secretsManager;
        private VersionStages stages;
        private DatabaseLogin login;
        private SanitizedEngine sanitized;

        Invocation(String stepName, String secretArn, String token, EnvironmentVariables env, SecretScrubber scrubber,
                RotationLog log) {
            this.stepName = stepName;
            this.secretArn = secretArn;
            this.token = token;
            this.env = env;
            this.scrubber = scrubber;
            this.log = log;
        }

        private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** 32 letters and digits: outside every engine's exclusions, and no password anyone could have set. */
    static String neverSetPassword() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder password = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            password.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    // ---- Entry checks, in the order the service documents them --------------------------------

        Outcome run() {
            require(stepName, "Step");
            require(secretArn, "SecretId");
            require(token, "ClientRequestToken");
            // Configuration first: a bad variable fails every step before anything is read or changed.
            ConnectionSettings settings = ConnectionSettings.fromEnvironment(environment);
            PasswordPolicy passwordPolicy = PasswordPolicy.fromEnvironment(env, engine);
            sanitized = SanitizedEngine.of(engine, scrubber);
            login = new DatabaseLogin(sanitized, settings, log);
            secretsManager = client.get();

            DescribeSecretResponse description = secretsManager.describeSecret(r -> r.secretId(secretArn));
            if (!Boolean.TRUE.equals(description.rotationEnabled())) {
                throw new RotationException("rotation is not enabled on the secret");
            }
            stages = VersionStages.of(description);
            log.debug("staging labels: " + stages);
            if (!stages.contains(token)) {
                throw new RotationException("the secret has no version " + token);
            }
            if (stages.hasStage(token, VersionStages.CURRENT)) {
                return Outcome.skipped("version " + token + " is already AWSCURRENT; nothing to do");
            }
            if (!stages.hasStage(token, VersionStages.PENDING)) {
                throw new RotationException("version " + token + " is not AWSPENDING");
            }
            RotationStep step = RotationStep.fromEventName(stepName).orElseThrow(() -> new RotationException(
                    "unknown step (expected createSecret, setSecret, testSecret or finishSecret)"));
            switch (step) {
                case CREATE_SECRET:
                    return createSecret(passwordPolicy);
                case SET_SECRET:
                    return setSecret();
                case TEST_SECRET:
                    return testSecret();
                case FINISH_SECRET:
                    return finishSecret();
                default:
                    throw new IllegalStateException("unhandled step " + step);
            }
        }

        private void require(String value, String field) {
            if (value == null || value.isBlank()) {
                throw new RotationException("the event has no " + field);
            }
        }

        // ---- createSecret: store a new password as AWSPENDING, unless the token already has a value --

        private Outcome createSecret(PasswordPolicy passwordPolicy) {
            DatabaseSecret current = readCurrent();
            if (pendingValue().isPresent()) {
                return Outcome.skipped("version " + token + " already has a value");
            }
            String newPassword = secretsManager.getRandomPassword(passwordPolicy.toRequest()).randomPassword();
            scrubber.add(newPassword);
            DatabaseSecret pending = pendingSecret(current, newPassword);
            scrubber.add(pending.password());
            secretsManager.putSecretValue(r -> r.secretId(secretArn)
                    .clientRequestToken(token)
                    .secretString(pending.toJson())
                    .versionStages(VersionStages.PENDING));
            return Outcome.done("stored a new " + passwordPolicy.length() + "-character password for user '"
                    + pending.username() + "' as AWSPENDING");
        }

        // ---- setSecret: make the database accept the pending credentials ---------------------------

        private Outcome setSecret() {
            DatabaseSecret current = readCurrent();
            DatabaseSecret pending = readPending();
            if (login.logsIn(pending)) {
                requirePasswordChecked(pending);
                return Outcome.skipped("the pending credentials already log in");
            }
            PasswordChange change = applyPendingSecret(new SetSecretContext(secretArn, token, current, pending, this::previous, login, sanitized,
                    this::readMaster, this::tagsOf, environment, log));
            return Outcome.done("the database accepts the pending credentials of user '" + pending.username()
                    + "' (the password was set with " + change.method() + ")");
        }

        /**
         * "Already logs in" proves nothing on a server that accepts any password (PostgreSQL {@code trust},
         * an account without a password check): a password nobody ever set must be refused, or the rotation
         * would report success while the old password keeps working.
         */
        private void requirePasswordChecked(DatabaseSecret pending) {
            String neverSet = neverSetPassword();
            scrubber.add(neverSet);
            if (login.logsIn(pending.withPassword(neverSet))) {
                throw new RotationException("the server accepts any password for user '" + pending.username()
                        + "' (trust authentication?): rotation would change nothing; nothing was changed");
            }
        }

        // ---- testSecret: the pending credentials log in and can run a query -------------------------

        private Outcome testSecret() {
            DatabaseSecret pending = readPending();
            var connection = login.open(pending).orElseThrow(() -> new RotationException(
                    "the database refuses the pending credentials of user '" + pending.username() + "'"));
            try {
                login.runTrivialQuery(connection);
            } finally {
                DatabaseLogin.closeQuietly(connection);
            }
            return Outcome.done("the pending credentials of user '" + pending.username() + "' log in and run a query");
        }

        // ---- finishSecret: move AWSCURRENT to the token (the service moves AWSPREVIOUS itself) ------

        private Outcome finishSecret() {
            Optional<String> currentVersion = stages.versionHolding(VersionStages.CURRENT);
            if (currentVersion.filter(token::equals).isPresent()) {
                return Outcome.skipped("version " + token + " is already AWSCURRENT");
            }
            secretsManager.updateSecretVersionStage(r -> r.secretId(secretArn)
                    .versionStage(VersionStages.CURRENT)
                    .moveToVersionId(token)
                    .removeFromVersionId(currentVersion.orElse(null)));
            return Outcome.done("moved AWSCURRENT from version " + currentVersion.orElse("(none)") + " to version " + token);
        }

        // ---- Reading versions: always by label, and by id where it is known -------------------------

        private DatabaseSecret readCurrent() {
            String versionId = stages.versionHolding(VersionStages.CURRENT)
                    .orElseThrow(() -> new RotationException("no version of the secret is AWSCURRENT"));
            return read(secretArn, versionId, VersionStages.CURRENT, "the AWSCURRENT secret value");
        }

        /** One GetSecretValue: the value that says createSecret has run is the value to parse. */
        private DatabaseSecret readPending() {
            String value = pendingValue().orElseThrow(() -> new RotationException("version " + token
                    + " has no value yet (createSecret has not run)"));
            return parse(value, "the AWSPENDING secret value", DatabaseSecret::parse);
        }

        /** The token's AWSPENDING value; empty while the service's placeholder version has none. */
        private Optional<String> pendingValue() {
            try {
                String value = secretsManager.getSecretValue(r -> r.secretId(secretArn)
                        .versionId(token).versionStage(VersionStages.PENDING)).secretString();
                scrubber.add(value);
                return Optional.ofNullable(value);
            } catch (ResourceNotFoundException e) {
                return Optional.empty();
            }
        }

        /** AWSPREVIOUS, if a version holds it and its value is usable; only a fallback, so never fatal. */
        private Optional<DatabaseSecret> previous() {
            Optional<String> versionId = stages.versionHolding(VersionStages.PREVIOUS);
            if (versionId.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(read(secretArn, versionId.get(), VersionStages.PREVIOUS, "the AWSPREVIOUS secret value"));
            } catch (RotationException | ResourceNotFoundException e) {
                log.warn("ignoring AWSPREVIOUS: " + reasonOf(e));
                return Optional.empty();
            }
        }

        /** Alternating users' master secret at AWSCURRENT, parsed as one; its password is scrubbed like ours. */
        private MasterSecret readMaster(String secretId) {
            return readMasterSecret(secretsManager, secretId, scrubber, engine.description());
        }

        private boolean handles(String secretEngine) {
            return engine.description().handles(secretEngine);
        }

        /** Another secret's tags (DescribeSecret), for example an RDS-managed master secret's system tags. */
        private Map<String, String> tagsOf(String secretId) {
            return tagsOfSecret(secretsManager, secretId);
        }

        private DatabaseSecret read(String secretId, String versionId, String stage, String what) {
            return read(secretId, versionId, stage, what, DatabaseSecret::parse);
        }

        private DatabaseSecret read(String secretId, String versionId, String stage, String what,
                Function<String, DatabaseSecret> parser) {
            GetSecretValueResponse response = secretsManager.getSecretValue(r -> r.secretId(secretId)
                    .versionId(versionId).versionStage(stage));
            String secretString = response.secretString();
            if (secretString == null) {
                throw new RotationException(what + " has no SecretString (binary secrets are not supported)");
            }
            return parse(secretString, what, parser);
        }

        private DatabaseSecret parse(String secretString, String what, Function<String, DatabaseSecret> parser) {
            scrubber.add(secretString);
            DatabaseSecret secret;
            try {
                secret = parser.apply(secretString);
            } catch (IllegalArgumentException e) {
                throw new RotationException(what + " is unusable: " + e.getMessage());
            }
            scrubber.add(secret.password());
            if (!handles(secret.engine())) {
                throw new RotationException(what + " is unusable: key 'engine' names an engine this function does not"
                        + " handle (it handles " + String.join(", ", engine.description().secretValues().stream()
                        .sorted().toList())
                        + ")");
            }
            return secret;
        }
    }

    /** A master secret at AWSCURRENT, parsed as one; its value and password are scrubbed from then on. */
    static MasterSecret readMasterSecret(SecretsManagerClient secretsManager, String secretId, SecretScrubber scrubber,
            EngineDescription engine) {
        String what = "the AWSCURRENT value of secret " + secretId;
        String secretString = secretsManager.getSecretValue(r -> r.secretId(secretId)
                .versionStage(VersionStages.CURRENT)).secretString();
        if (secretString == null) {
            throw new RotationException(what + " has no SecretString (binary secrets are not supported)");
        }
        scrubber.add(secretString);
        MasterSecret master;
        try {
            master = MasterSecret.parse(secretString);
        } catch (IllegalArgumentException e) {
            throw new RotationException(what + " is unusable: " + e.getMessage());
        }
        scrubber.add(master.password());
        if (master.engine().isPresent() && !engine.handles(master.engine().get())) {
            throw new RotationException(what + " is unusable: key 'engine' names an engine this function does not"
                    + " handle");
        }
        return master;
    }

    /** Another secret's tags (DescribeSecret), for example an RDS-managed master secret's system tags. */
    static Map<String, String> tagsOfSecret(SecretsManagerClient secretsManager, String secretId) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        secretsManager.describeSecret(r -> r.secretId(secretId)).tags()
                .forEach(tag -> tags.put(tag.key(), tag.value()));
        return tags;
    }
}
