package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.SslMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The {@code {"Step": "preflight", "SecretId": "..."}} event: whether a rotation of that secret would
 * work from where the function runs, check by check, changing nothing (reads from Secrets Manager,
 * logins and read-only queries on the database). A user sends it ({@code aws lambda invoke}, or
 * {@code rotation-local preflight}); Secrets Manager never does. The answer is
 * {@code {"ok": ..., "checks": [{"name", "ok", "detail"}], "notChecked": [...]}}: a check whose
 * prerequisite failed is not run and is listed in {@code notChecked}, so each problem fails exactly the
 * check that names it. Every detail says what to do about a failure, and every text is scrubbed of
 * every secret value the invocation read.
 */
final class Preflight {
    static final String STEP = "preflight";

    static final String CONFIGURATION = "configuration";
    static final String SECRETS_MANAGER = "secrets-manager";
    static final String SECRET_READABLE = "secret-readable";
    static final String ROTATION_SETTINGS = "rotation-settings";
    static final String SECRET_JSON = "secret-json";
    static final String NO_STRAY_PENDING = "no-stray-pending";
    static final String DATABASE_REACH = "database-reach";
    static final String TLS = "tls";
    static final String LOGIN = "login";
    static final String MASTER_SECRET = "master-secret";
    static final String MASTER_SERVER = "master-server";
    static final String MASTER_LOGIN = "master-login";
    static final String MASTER_PRIVILEGES = "master-privileges";
    static final String OTHER_USER = "other-user";

    /** One check's outcome. */
    record Check(String name, boolean ok, String detail) {
    }

    /** What the strategy's checks may use; {@link #pass}/{@link #fail}/{@link #notChecked} record outcomes. */
    final class Run {
        final String secretId;
        final DatabaseSecret current;
        final DatabaseLogin login;
        final SanitizedEngine engine;
        final Map<String, String> environment;
        final SecretsManagerClient client;
        /** Whether the rotated secret's server was reached (the master's is usually the same). */
        final boolean databaseReached;

        Run(String secretId, DatabaseSecret current, DatabaseLogin login, SanitizedEngine engine,
                Map<String, String> environment, SecretsManagerClient client, boolean databaseReached) {
            this.secretId = secretId;
            this.current = current;
            this.login = login;
            this.engine = engine;
            this.environment = environment;
            this.client = client;
            this.databaseReached = databaseReached;
        }

        void pass(String name, String detail) {
            Preflight.this.pass(name, detail);
        }

        void fail(String name, String detail) {
            Preflight.this.fail(name, detail);
        }

        void notChecked(String... names) {
            Preflight.this.notChecked(names);
        }

        /** A master secret at AWSCURRENT, as setSecret reads it; its values are scrubbed from every detail. */
        dev.rotation.secret.MasterSecret readMaster(String arn) {
            return RotationHandler.readMasterSecret(client, arn, scrubber, engine.description());
        }

        /** Another secret's tags (DescribeSecret). */
        Map<String, String> tagsOf(String arn) {
            return RotationHandler.tagsOfSecret(client, arn);
        }
    }

    /** The strategy's own checks (alternating users: the master and the other user). */
    @FunctionalInterface
    interface StrategyChecks {
        void run(Run run);
    }

    private final String secretId;
    private final String functionArn;
    private final Map<String, String> environment;
    private final Supplier<SecretsManagerClient> clients;
    private final DatabaseEngine engine;
    private final List<String> strategyCheckNames;
    private final StrategyChecks strategyChecks;
    private final RotationLog log;
    private final SecretScrubber scrubber;
    private final List<Check> checks = new ArrayList<>();
    private final List<String> notChecked = new ArrayList<>();

    /**
     * @param functionArn this function's ARN as invoked (the Lambda context's), or null when unknown
     * @param strategyCheckNames the names the strategy's checks use, for {@code notChecked} when they cannot run
     */
    Preflight(String secretId, String functionArn, Map<String, String> environment,
            Supplier<SecretsManagerClient> clients, DatabaseEngine engine, List<String> strategyCheckNames,
            StrategyChecks strategyChecks, RotationLog log, SecretScrubber scrubber) {
        this.secretId = secretId;
        this.functionArn = functionArn;
        this.environment = environment;
        this.clients = clients;
        this.engine = engine;
        this.strategyCheckNames = List.copyOf(strategyCheckNames);
        this.strategyChecks = strategyChecks;
        this.log = log;
        this.scrubber = scrubber;
    }

    /** Runs every check it can; never throws for what it finds, only reports it. */
    String run() {
        if (secretId == null || secretId.isBlank()) {
            fail(CONFIGURATION, "the event has no SecretId: send {\"Step\": \"preflight\", \"SecretId\": \"<arn or name>\"}");
            notChecked(SECRETS_MANAGER, SECRET_READABLE, ROTATION_SETTINGS, SECRET_JSON, NO_STRAY_PENDING,
                    DATABASE_REACH, TLS, LOGIN);
            notChecked(strategyCheckNames.toArray(String[]::new));
            return toJson();
        }
        try {
            runChecks();
        } catch (RuntimeException e) {
            // A check that broke in a way nobody foresaw is still one failed check, not a failed invocation.
            fail("unexpected", "preflight stopped: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return toJson();
    }

    private void runChecks() {
        // ---- configuration ----
        ConnectionSettings settings;
        try {
            EnvironmentVariables env = new EnvironmentVariables(environment);
            settings = ConnectionSettings.fromEnvironment(environment);
            PasswordPolicy policy = PasswordPolicy.fromEnvironment(env, engine);
            RotationLog.Level.fromEnvironment(env);
            RotationException metrics = RotationMetrics.fromEnvironment(env, "preflight").problem();
            if (metrics != null) {
                throw metrics;
            }
            pass(CONFIGURATION, "connect timeout " + settings.connectTimeout().toSeconds() + " s, query timeout "
                    + settings.queryTimeout().toSeconds() + " s, trusted CAs: " + caBundle(settings)
                    + ", plaintext fallback " + (settings.allowPlaintextFallback() ? "ALLOWED" : "off")
                    + ", new passwords of " + policy.length() + " characters; Secrets Manager at " + endpoint());
        } catch (RotationException e) {
            fail(CONFIGURATION, e.getMessage() + ". Fix that environment variable of the function (template parameter"
                    + " or Lambda configuration)");
            notChecked(SECRETS_MANAGER, SECRET_READABLE, ROTATION_SETTINGS, SECRET_JSON, NO_STRAY_PENDING,
                    DATABASE_REACH, TLS, LOGIN);
            notChecked(strategyCheckNames.toArray(String[]::new));
            return;
        }

        // ---- Secrets Manager reach and the secret ----
        SecretsManagerClient client;
        DescribeSecretResponse description;
        try {
            client = clients.get();
            description = client.describeSecret(r -> r.secretId(secretId));
            pass(SECRETS_MANAGER, "reached " + endpoint() + " (DescribeSecret answered)");
        } catch (ResourceNotFoundException e) {
            pass(SECRETS_MANAGER, "reached " + endpoint());
            fail(SECRET_READABLE, "there is no secret " + secretId + " in this account and region (as the function"
                    + " sees them): check the name or ARN, and the function's region");
            notAfterSecret();
            return;
        } catch (SecretsManagerException e) {
            pass(SECRETS_MANAGER, "reached " + endpoint());
            fail(SECRET_READABLE, "DescribeSecret refused: " + errorCode(e) + ". The function's role needs"
                    + " secretsmanager:DescribeSecret on the secret (the template's roles allow the secrets whose"
                    + " rotation uses the function: attach it first with rotate-secret --rotation-lambda-arn)");
            notAfterSecret();
            return;
        } catch (SdkException | RotationException e) {
            fail(SECRETS_MANAGER, "cannot reach Secrets Manager at " + endpoint() + ": " + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ". A function in a VPC needs a route to it: an interface VPC endpoint"
                    + " for secretsmanager (SECRETS_MANAGER_ENDPOINT if it has its own DNS name) or a NAT gateway");
            notChecked(SECRET_READABLE);
            notAfterSecret();
            return;
        }
        VersionStages stages = VersionStages.of(description);
        String secretString;
        String currentVersion;
        try {
            currentVersion = stages.versionHolding(VersionStages.CURRENT).orElse(null);
            if (currentVersion == null) {
                throw new RotationException("no version of the secret is AWSCURRENT");
            }
            GetSecretValueResponse value = client.getSecretValue(r -> r.secretId(secretId)
                    .versionStage(VersionStages.CURRENT));
            secretString = value.secretString();
            if (secretString == null) {
                throw new RotationException("the AWSCURRENT version has no SecretString (binary secrets are not"
                        + " supported): put the JSON as a string");
            }
            scrubber.add(secretString);
            pass(SECRET_READABLE, "read version " + currentVersion + " (AWSCURRENT) of " + description.arn());
        } catch (RotationException e) {
            fail(SECRET_READABLE, e.getMessage());
            notAfterSecret();
            return;
        } catch (SecretsManagerException e) {
            fail(SECRET_READABLE, "GetSecretValue refused: " + errorCode(e) + ". The function's role needs"
                    + " secretsmanager:GetSecretValue on the secret and, for a customer managed key, kms:Decrypt"
                    + " through Secrets Manager (template parameter KmsKeyArn)");
            notAfterSecret();
            return;
        }

        // ---- rotation settings ----
        rotationSettings(description);

        // ---- the secret's JSON ----
        DatabaseSecret current;
        try {
            current = DatabaseSecret.parse(secretString);
            scrubber.add(current.password());
        } catch (IllegalArgumentException e) {
            fail(SECRET_JSON, "the AWSCURRENT value is unusable: " + e.getMessage() + ". Fix it with"
                    + " put-secret-value (keys: engine, host, username, password; port, dbname, ssl optional)");
            current = null;
        }
        if (current != null && !engine.description().handles(current.engine())) {
            fail(SECRET_JSON, "key 'engine' is '" + current.engine() + "', which this function does not rotate (it"
                    + " handles " + String.join(", ", engine.description().secretValues()) + "): attach the"
                    + " function for that engine to the secret, or correct the key");
            current = null;
        }
        if (current != null) {
            pass(SECRET_JSON, "engine " + current.engine() + ", server " + server(current) + ", user '"
                    + current.username() + "'" + current.dbname().map(d -> ", database '" + d + "'").orElse("")
                    + ", " + ssl(current.ssl(), settings));
        }

        // ---- a stray AWSPENDING ----
        Optional<String> strayPending = stages.versionHolding(VersionStages.PENDING)
                .filter(v -> !stages.hasStage(v, VersionStages.CURRENT));
        // Its place in the list is here; whether the pending password logs in is known only after the login checks.
        int strayIndex = checks.size();
        if (strayPending.isEmpty()) {
            pass(NO_STRAY_PENDING, "no version other than AWSCURRENT holds AWSPENDING");
        }
        if (current == null) {
            strayPending.ifPresent(v -> strayPending(strayIndex, v, currentVersion, Optional.empty()));
            notChecked(DATABASE_REACH, TLS, LOGIN);
            notChecked(strategyCheckNames.toArray(String[]::new));
            return;
        }

        // ---- the database: DNS and TCP, TLS, login ----
        SanitizedEngine sanitized = SanitizedEngine.of(engine, scrubber);
        DatabaseLogin login = new DatabaseLogin(sanitized, settings, log);
        boolean reached = reach(current, settings);
        if (reached) {
            if (tls(current, sanitized, settings)) {
                login(current, login);
            } else {
                notChecked(LOGIN);
            }
        } else {
            notChecked(TLS, LOGIN);
        }
        if (strayPending.isPresent()) {
            strayPending(strayIndex, strayPending.get(), currentVersion,
                    reached ? pendingLogsIn(client, strayPending.get(), login) : Optional.empty());
        }
        if (strategyChecks != null) {
            strategyChecks.run(new Run(secretId, current, login, sanitized, environment, client, reached));
        }
    }

    private void notAfterSecret() {
        notChecked(ROTATION_SETTINGS, SECRET_JSON, NO_STRAY_PENDING, DATABASE_REACH, TLS, LOGIN);
        notChecked(strategyCheckNames.toArray(String[]::new));
    }

    private void rotationSettings(DescribeSecretResponse description) {
        String arn = description.rotationLambdaARN();
        String schedule = description.rotationRules() == null ? "no schedule"
                : description.rotationRules().scheduleExpression() != null
                        ? "schedule " + description.rotationRules().scheduleExpression()
                        : description.rotationRules().automaticallyAfterDays() != null
                                ? "every " + description.rotationRules().automaticallyAfterDays() + " days"
                                : "no schedule";
        if (description.rotationRules() != null && description.rotationRules().duration() != null) {
            schedule += " within " + description.rotationRules().duration();
        }
        String thisFunction = functionArn == null ? "this function's ARN" : functionArn;
        String enable = "aws secretsmanager rotate-secret --secret-id " + secretId + " --rotation-lambda-arn "
                + thisFunction + " --rotation-rules '{\"ScheduleExpression\": \"rate(30 days)\"}'";
        if (!Boolean.TRUE.equals(description.rotationEnabled())) {
            fail(ROTATION_SETTINGS, "rotation is not enabled on the secret, so every step would fail: " + enable
                    + (arn == null ? "" : " (it names " + arn + ")"));
            return;
        }
        if (arn == null) {
            fail(ROTATION_SETTINGS, "rotation is enabled but names no rotation function: " + enable);
            return;
        }
        if (functionArn != null && !functionName(arn).equals(functionName(functionArn))) {
            fail(ROTATION_SETTINGS, "the secret is rotated by " + arn + ", not by this function (" + functionArn
                    + "): run preflight on that function, or attach this one: " + enable);
            return;
        }
        String qualifierNote = functionArn != null && !arn.equals(functionArn)
                ? " (invoked here as " + functionArn + ")" : functionArn == null ? " (this function's ARN unknown)" : "";
        pass(ROTATION_SETTINGS, "enabled, function " + arn + qualifierNote + ", " + schedule
                + (description.nextRotationDate() == null ? "" : ", next " + description.nextRotationDate()));
    }

    /** The function name of a Lambda ARN ({@code arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]}), or the text. */
    static String functionName(String arnOrName) {
        String[] parts = arnOrName.split(":");
        if (parts.length >= 7 && parts[5].equals("function")) {
            return parts[6];
        }
        return arnOrName;
    }

    private void strayPending(int index, String version, String currentVersion, Optional<Boolean> pendingLogsIn) {
        String finish = "aws secretsmanager update-secret-version-stage --secret-id " + secretId
                + " --version-stage AWSCURRENT --move-to-version-id " + version + " --remove-from-version-id "
                + currentVersion;
        String drop = "aws secretsmanager update-secret-version-stage --secret-id " + secretId
                + " --version-stage AWSPENDING --remove-from-version-id " + version;
        String what = "version " + version + " holds AWSPENDING from a rotation that did not finish, so RotateSecret"
                + " refuses to start another. ";
        String detail;
        if (pendingLogsIn.isEmpty()) {
            detail = (what + "If its setSecret succeeded (the database has its password), finish it: "
                    + finish + "; otherwise clear it: " + drop);
        } else if (pendingLogsIn.get()) {
            detail = (what + "Its password logs in, so the database already has it: finish it (never drop"
                    + " it, it is the only copy of that password): " + finish);
        } else {
            detail = (what + "Its password does not log in, so the database still has AWSCURRENT's: clear"
                    + " it, then rotate again: " + drop);
        }
        checks.add(index, new Check(NO_STRAY_PENDING, false, SecretScrubber.printable(scrubber.scrub(detail))));
    }

    /** Whether the stray pending version's credentials log in; empty when that cannot be told. */
    private Optional<Boolean> pendingLogsIn(SecretsManagerClient client, String version, DatabaseLogin login) {
        try {
            String value = client.getSecretValue(r -> r.secretId(secretId).versionId(version)
                    .versionStage(VersionStages.PENDING)).secretString();
            if (value == null) {
                return Optional.empty();
            }
            scrubber.add(value);
            DatabaseSecret pending = DatabaseSecret.parse(value);
            scrubber.add(pending.password());
            if (!engine.description().handles(pending.engine())) {
                return Optional.empty();
            }
            return Optional.of(login.logsIn(pending));
        } catch (RuntimeException e) {
            // No value yet (createSecret never ran), unreadable, or no login possible: cannot tell.
            return Optional.empty();
        }
    }

    /** DNS within the connect timeout, then TCP to the first address that answers. */
    private boolean reach(DatabaseSecret secret, ConnectionSettings settings) {
        String host = secret.host();
        int port = secret.port().orElse(engine.description().defaultPort());
        long timeoutMs = settings.connectTimeout().toMillis();
        InetAddress[] addresses;
        CompletableFuture<InetAddress[]> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            addresses = lookup.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail(DATABASE_REACH, "DNS did not answer for host '" + host + "' within " + settings.connectTimeout()
                    .toSeconds() + " s (" + ConnectionSettings.CONNECT_TIMEOUT + "): check the VPC's DNS resolution"
                    + " settings");
            return false;
        } catch (ExecutionException e) {
            fail(DATABASE_REACH, "host '" + host + "' does not resolve from here: use the database's endpoint name"
                    + " (in a VPC, enable DNS resolution and DNS host names; a private hosted zone must be associated"
                    + " with the function's VPC)");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(DATABASE_REACH, "interrupted while resolving host '" + host + "'");
            return false;
        }
        List<String> failures = new ArrayList<>();
        for (InetAddress address : addresses) {
            long start = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), Math.toIntExact(timeoutMs));
                pass(DATABASE_REACH, "host '" + host + "' resolves to " + Arrays.stream(addresses)
                        .map(InetAddress::getHostAddress).toList() + "; TCP port " + port + " of "
                        + address.getHostAddress() + " accepted a connection in "
                        + (System.nanoTime() - start) / 1_000_000 + " ms (limit " + settings.connectTimeout().toSeconds()
                        + " s)");
                return true;
            } catch (IOException e) {
                failures.add(address.getHostAddress() + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        }
        fail(DATABASE_REACH, "host '" + host + "' resolves, but TCP port " + port + " does not accept connections"
                + " within " + settings.connectTimeout().toSeconds() + " s (" + String.join("; ", failures)
                + "): the function's subnets and security groups must reach the database's port, the database's"
                + " security group must allow the function's, and the port must be the database's");
        return false;
    }

    /**
     * TLS as the secret's {@code ssl} asks: a verified TLS connection attempt with its credentials. A
     * refused password still proves the handshake (both protocols negotiate TLS before authenticating).
     */
    private boolean tls(DatabaseSecret secret, SanitizedEngine sanitized, ConnectionSettings settings) {
        if (secret.ssl() == SslMode.DISABLED) {
            pass(TLS, "not used: the secret's ssl key is false, so the session is plaintext (readable and changeable"
                    + " on the network path)");
            return true;
        }
        String trusted = caBundle(settings);
        try {
            Connection connection = sanitized.connect(new ConnectRequest(secret, DatabaseEngine.Tls.VERIFY, settings));
            DatabaseLogin.closeQuietly(connection);
            pass(TLS, "verified: the certificate chain against " + trusted + " and the host name '" + secret.host()
                    + "'");
            return true;
        } catch (SQLException e) {
            DatabaseEngine.LoginFailure kind = sanitized.classify(e);
            if (kind == DatabaseEngine.LoginFailure.AUTHENTICATION) {
                pass(TLS, "verified: the certificate chain against " + trusted + " and the host name '" + secret.host()
                        + "' (the login itself is the next check)");
                return true;
            }
            if (kind == DatabaseEngine.LoginFailure.TLS_UNAVAILABLE) {
                if (secret.ssl() == SslMode.PREFERRED && settings.allowPlaintextFallback()) {
                    pass(TLS, "the server offers no TLS; the secret has no ssl key and "
                            + ConnectionSettings.ALLOW_PLAINTEXT_FALLBACK + "=true, so rotation falls back to plaintext"
                            + " (open to a man in the middle: give the server TLS)");
                    return true;
                }
                fail(TLS, "the server " + server(secret) + " offers no TLS (or something on the network path says so),"
                        + (secret.ssl() == SslMode.REQUIRED ? " and the secret's ssl key is true" : " and the secret"
                                + " has no ssl key") + ": give the server TLS, or set the secret's ssl key to false for"
                        + " plaintext");
                return false;
            }
            fail(TLS, "TLS to " + server(secret) + " failed: " + DatabaseLogin.describe(e) + ". Trusted CAs: " + trusted
                    + ". RDS and Aurora certificates need the RDS CA bundle (a layer, and " + ConnectionSettings.CA_BUNDLE
                    + " naming it); the secret's host must be the name in the server's certificate (the endpoint, not"
                    + " an IP address or an alias)");
            return false;
        }
    }

    private void login(DatabaseSecret secret, DatabaseLogin login) {
        try {
            Optional<Connection> connection = login.open(secret);
            if (connection.isEmpty()) {
                fail(LOGIN, "the database refuses user '" + secret.username() + "' with the AWSCURRENT password:"
                        + " the password was changed outside Secrets Manager (put the database's real password into"
                        + " the secret with put-secret-value), or the user does not exist or may not connect from the"
                        + " function's address");
                return;
            }
            try {
                login.runTrivialQuery(connection.get());
            } finally {
                DatabaseLogin.closeQuietly(connection.get());
            }
            pass(LOGIN, "user '" + secret.username() + "' logs in with the AWSCURRENT password and runs SELECT 1");
        } catch (RotationException e) {
            fail(LOGIN, e.getMessage());
        }
    }

    private String caBundle(ConnectionSettings settings) {
        return settings.caBundle().map(path -> "the CA bundle " + path + " (" + ConnectionSettings.CA_BUNDLE + ")")
                .orElse("the JVM's trust store (" + ConnectionSettings.CA_BUNDLE + " unset; it holds no RDS CA)");
    }

    private String ssl(SslMode mode, ConnectionSettings settings) {
        switch (mode) {
            case REQUIRED:
                return "ssl true (verified TLS only)";
            case DISABLED:
                return "ssl false (plaintext only)";
            default:
                return "no ssl key (verified TLS" + (settings.allowPlaintextFallback()
                        ? ", plaintext if the server offers none)" : ", no fallback)");
        }
    }

    private String server(DatabaseSecret secret) {
        return secret.host() + ":" + secret.port().orElse(engine.description().defaultPort());
    }

    private String endpoint() {
        return new EnvironmentVariables(environment).get(SecretsManagerClients.SECRETS_MANAGER_ENDPOINT)
                .orElse("the regional endpoint" + new EnvironmentVariables(environment).get("AWS_REGION")
                        .map(r -> " of " + r).orElse(""));
    }

    static String errorCode(SecretsManagerException e) {
        return e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
    }

    private void pass(String name, String detail) {
        checks.add(new Check(name, true, SecretScrubber.printable(scrubber.scrub(detail))));
    }

    private void fail(String name, String detail) {
        checks.add(new Check(name, false, SecretScrubber.printable(scrubber.scrub(detail))));
    }

    private void notChecked(String... names) {
        for (String name : names) {
            if (!notChecked.contains(name)) {
                notChecked.add(name);
            }
        }
    }

    List<Check> checks() {
        return List.copyOf(checks);
    }

    boolean ok() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
    }

    /** For the log line: how many checks passed, and which failed. */
    String summary() {
        List<String> failed = checks.stream().filter(c -> !c.ok()).map(Check::name).toList();
        return (checks.size() - failed.size()) + " of " + checks.size() + " checks passed"
                + (failed.isEmpty() ? "" : "; failed: " + String.join(", ", failed))
                + (notChecked.isEmpty() ? "" : "; not checked: " + String.join(", ", notChecked));
    }

    String toJson() {
        try (JsonWriter json = JsonWriter.create()) {
            json.writeStartObject();
            json.writeFieldName("ok");
            json.writeValue(ok());
            json.writeFieldName("checks");
            json.writeStartArray();
            for (Check check : checks) {
                json.writeStartObject();
                json.writeFieldName("name");
                json.writeValue(check.name());
                json.writeFieldName("ok");
                json.writeValue(check.ok());
                json.writeFieldName("detail");
                json.writeValue(check.detail());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeFieldName("notChecked");
            json.writeStartArray();
            for (String name : notChecked) {
                json.writeValue(name);
            }
            json.writeEndArray();
            json.writeEndObject();
            return new String(json.getBytes(), StandardCharsets.UTF_8);
        }
    }
}
