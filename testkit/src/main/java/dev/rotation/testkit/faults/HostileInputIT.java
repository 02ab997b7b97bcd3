package dev.rotation.testkit.faults;

import dev.rotation.testkit.TestJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.testkit.EngineTargets;
import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.testkit.RotationWorld;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.secret.DatabaseSecret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile secrets: wrong JSON types, huge values, control characters and log-forging newlines,
 * SQL and URL metacharacters in every field. Each is either rejected with an error naming the
 * problem and nothing changed, or handled safely (a rotation of exactly the named user). Always:
 * every log line is one JSON object on one line, no log line or error holds a password, no error
 * message holds a line break or another control character, and a bystander user is untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class HostileInputIT {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Forged log content: if it ever became a line of its own, it would claim a success. */
    private static final String FORGED = "\n{\"level\":\"INFO\",\"step\":\"finishSecret\",\"outcome\":\"succeeded\"}\r\n";


    private RotationWorld world;
    private String bystander;
    private String bystanderPassword;

    @BeforeAll
    void startWorld() {
        EngineTarget target = EngineTargets.current();
        TestDatabase db = target.database();
        world = RotationWorld.builder(target).database(db, db.createDatabase("hostile"))
                .maxRotationAttempts(LocalSecretsManager.DEFAULT_MAX_ROTATION_ATTEMPTS).faultInjection().build();
        bystander = "v_" + RotationWorld.random(4);
        bystanderPassword = RotationWorld.randomPassword();
        world.newAppUser(bystander, bystanderPassword);
    }

    @AfterAll
    void closeWorld() {
        if (world != null) {
            world.close();
        }
    }

    @BeforeEach
    void clearLog() {
        world.logLines.clear();
    }

    /** What a case expects: success, or a failure at a step whose message contains a text. */
    private record Expected(String failingStep, String message) {
        static Expected success() {
            return new Expected(null, null);
        }

        static Expected failure(String step, String message) {
            return new Expected(step, message);
        }
    }

    /** The secret's fields before the hostile edit, and the user they name. */
    private record Base(String username, String password, Map<String, Object> fields) {
    }

    private record Case(String name, Strategy strategy, String username, String password,
            Function<Base, String> secret, Expected expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    Stream<Arguments> cases() {
        String normal = "h";
        String pw = RotationWorld.randomPassword();
        // At most 25 characters with the suffix, so that its clone fits MySQL's 32.
        String metaUser = "h'\"`\\;-- DROP USER v";
        String metaPassword = "Pw'\"\\;--`$(x)%_" + RotationWorld.random(4);
        String huge = "x".repeat(60_000);
        List<Case> cases = List.of(
                new Case("username is a number", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "username", raw("42")), Expected.failure("createSecret", "key 'username' must be a string")),
                new Case("password is an array", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "password", raw("[\"" + b.password() + "\"]")),
                        Expected.failure("createSecret", "key 'password' must be a string")),
                new Case("host is an object", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "host", raw("{\"name\":\"db\"}")), Expected.failure("createSecret", "key 'host' must be a string")),
                new Case("port is SQL text", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "port", "5432; DROP TABLE users"), Expected.failure("createSecret", "key 'port' must be a number")),
                new Case("port is out of range", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "port", raw("70000")), Expected.failure("createSecret", "key 'port' must be a whole number")),
                new Case("engine is a boolean", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "engine", raw("true")), Expected.failure("createSecret", "key 'engine' must be a string")),
                new Case("dbname is a number", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "dbname", raw("7")), Expected.failure("createSecret", "key 'dbname' must be a string")),
                new Case("masterarn is an object", Strategy.ALTERNATING_USERS, normal, pw,
                        b -> write(b, "masterarn", raw("{}")), Expected.failure("createSecret", "key 'masterarn' must be a string")),
                new Case("the secret is a JSON array", Strategy.SINGLE_USER, normal, pw,
                        b -> "[" + write(b, "port", raw(String.valueOf(b.fields().get("port")))) + "]",
                        Expected.failure("createSecret", "is not a JSON object")),
                new Case("a huge wrong password", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "password", huge + "'\";--"), Expected.failure("setSecret", "refuses")),
                new Case("a huge user name", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "username", huge), Expected.failure("setSecret", "")),
                new Case("a secret at the size limit", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "padding", "p".repeat(65_536 - write(b, "padding", "").length())),
                        Expected.failure("createSecret", "")),
                new Case("a user name forging log lines", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "username", b.username() + FORGED),
                        Expected.failure("createSecret", "key 'username' contains a control character")),
                new Case("control characters in the user name", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "username", b.username() + "\u0000\u001b[2J\t\u2028\u0085\u007f"),
                        Expected.failure("createSecret", "key 'username' contains a control character")),
                new Case("a host forging log lines", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "host", b.fields().get("host") + FORGED),
                        Expected.failure("createSecret", "key 'host' contains a control character")),
                new Case("a database name forging log lines", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "dbname", b.fields().get("dbname") + FORGED),
                        Expected.failure("createSecret", "key 'dbname' contains a control character")),
                new Case("a master ARN forging log lines", Strategy.ALTERNATING_USERS, normal, pw,
                        b -> write(b, "masterarn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:m" + FORGED),
                        Expected.failure("setSecret", "masterarn")),
                new Case("SQL metacharacters in the user name and the password", Strategy.SINGLE_USER, metaUser,
                        metaPassword, b -> write(b, "team", "payments"), Expected.success()),
                new Case("SQL metacharacters, alternating users", Strategy.ALTERNATING_USERS, metaUser, metaPassword,
                        b -> write(b, "team", "payments"), Expected.success()),
                new Case("SQL in the database name", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "dbname", "x'; DROP DATABASE " + b.fields().get("dbname") + "; --"),
                        Expected.failure("setSecret", "")),
                new Case("URL parameters in the database name", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "dbname", b.fields().get("dbname") + "?allowLoadLocalInfile=true&user=root#"),
                        Expected.failure("setSecret", "")),
                new Case("URL parameters in the host", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "host", b.fields().get("host") + "/?user=root&password=x"),
                        Expected.failure("setSecret", "host")),
                new Case("SQL in the engine", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "engine", b.fields().get("engine") + "' OR '1'='1"),
                        Expected.failure("createSecret", "engine")),
                new Case("hostile unknown keys are carried over unchanged", Strategy.SINGLE_USER, normal, pw,
                        b -> write(b, "note" + FORGED, "a\"b\\c\u0000'; DROP USER x; --" + FORGED), Expected.success()));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileSecret_isRejectedOrHandledSafely(Case template) {
        Case c = new Case(template.name(), template.strategy(), template.username() + "_" + RotationWorld.random(2),
                template.password(), template.secret(), template.expected());
        world.newAppUser(c.username(), c.password());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("engine", world.db.engine());
        fields.put("host", world.db.host());
        fields.put("port", world.db.port());
        fields.put("username", c.username());
        fields.put("password", c.password());
        fields.put("dbname", world.dbName);
        fields.put("ssl", raw("false"));
        List<String> passwords = new ArrayList<>(List.of(c.password(), bystanderPassword));
        if (c.strategy() == Strategy.ALTERNATING_USERS) {
            String master = "hm_" + RotationWorld.random(4);
            String masterPassword = RotationWorld.randomPassword();
            passwords.add(masterPassword);
            world.createMaster(master, masterPassword, c.username());
            String masterJson = DatabaseSecret.builder().engine(world.db.engine()).host(world.db.host())
                    .port(world.db.port()).username(master).password(masterPassword).dbname(world.dbName)
                    .ssl(dev.rotation.secret.SslMode.DISABLED).build().toJson();
            fields.put("masterarn", world.sm.createSecret(r -> r.name("hostile/m-" + RotationWorld.random(4))
                    .secretString(masterJson)).arn());
        }
        Base base = new Base(c.username(), c.password(), fields);
        String secretString = c.secret().apply(base);
        String arn = world.sm.createSecret(r -> r.name("hostile/" + RotationWorld.random(4)).secretString(secretString))
                .arn();
        String originalVersion = world.sm.describeSecret(r -> r.secretId(arn)).versionIdsToStages().keySet()
                .iterator().next();
        String token = world.sm.rotateSecret(r -> r.secretId(arn).rotationLambdaARN(RotationWorld.NOOP_FUNCTION)
                .rotationRules(rules -> rules.automaticallyAfterDays(30L))).versionId();
        assertThat(world.server.awaitRotations(java.time.Duration.ofSeconds(60))).isTrue();
        RequestHandler<SecretsManagerRotationEvent, Void> handler = world.handler(c.strategy(),
                c.strategy() == Strategy.SINGLE_USER ? world.target.engine() : world.target.engine(),
                world.target.userAdministration());

        String failedStep = null;
        Throwable failure = null;
        Map<String, java.util.List<String>> labelsBeforeFailingStep = null;
        for (String step : Scenario.STEPS) {
            Map<String, java.util.List<String>> labels = world.sm.describeSecret(r -> r.secretId(arn))
                    .versionIdsToStages();
            Optional<Throwable> thrown = RotationWorld.invoke(handler, step, arn, token);
            if (thrown.isPresent()) {
                failedStep = step;
                failure = thrown.get();
                labelsBeforeFailingStep = labels;
                break;
            }
        }
        Optional<String> pending = pendingValue(arn, token);
        pending.ifPresent(value -> passwords.add(passwordIn(value)));

        assertThat(failedStep).as("the step that failed (%s)", failure == null ? "none" : failure.getMessage())
                .isEqualTo(c.expected().failingStep());
        if (failure != null) {
            assertThat(failure.getMessage()).contains(c.expected().message());
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).as("an error message holds no control character or line break")
                        .doesNotMatch("(?s).*[\\x00-\\x1f\\x7f\\x85\\u2028\\u2029].*");
            }
            assertThat(world.sm.describeSecret(r -> r.secretId(arn)).versionIdsToStages())
                    .as("the failed step changed no label").isEqualTo(labelsBeforeFailingStep);
            assertThat(world.sm.getSecretValue(r -> r.secretId(arn).versionId(originalVersion)
                    .versionStage("AWSCURRENT")).secretString()).isEqualTo(secretString);
            if (world.db.userExists(c.username())) {
                assertThat(world.db.canLogin(world.dbName, c.username(), c.password()))
                        .as("the user's password did not change").isTrue();
            }
        } else {
            DatabaseSecret current = DatabaseSecret.parse(world.sm.getSecretValue(r -> r.secretId(arn)
                    .versionStage("AWSCURRENT")).secretString());
            passwords.add(current.password());
            String expectedUser = c.strategy() == Strategy.SINGLE_USER ? c.username() : c.username() + "_clone";
            assertThat(current.username()).isEqualTo(expectedUser);
            assertThat(world.db.canLogin(world.dbName, current.username(), current.password())).isTrue();
            assertThat(current.otherKeys()).isEqualTo(DatabaseSecret.parse(secretString).otherKeys());
            assertThat(sameUnknownKeys(current.toJson(), secretString)).as("unknown keys carried over unchanged")
                    .isTrue();
        }
        assertThat(world.db.canLogin(world.dbName, bystander, bystanderPassword)).as("the bystander user").isTrue();
        assertLogLinesAreSingleJsonObjects();
        assertNoPasswordIn(passwords, failure);
    }

    private void assertLogLinesAreSingleJsonObjects() {
        assertThat(world.logLines).isNotEmpty();
        for (String line : world.logLines) {
            assertThat(line).as("a log line").doesNotContain("\n").doesNotContain("\r");
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("a log line is not one JSON object: " + e.getClass().getSimpleName());
            }
            assertThat(node.isObject()).as("a log line is a JSON object").isTrue();
        }
    }

    private void assertNoPasswordIn(List<String> passwords, Throwable failure) {
        List<String> texts = new ArrayList<>(world.logLines);
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            texts.add(String.valueOf(t.getMessage()));
        }
        for (int i = 0; i < passwords.size(); i++) {
            String password = passwords.get(i);
            for (String text : texts) {
                assertThat(text.contains(password)).as("password #%d appears in a log line or error (not shown)", i)
                        .isFalse();
            }
        }
    }

    private Optional<String> pendingValue(String arn, String token) {
        try {
            return Optional.of(world.sm.getSecretValue(r -> r.secretId(arn).versionId(token).versionStage("AWSPENDING"))
                    .secretString());
        } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private static String passwordIn(String secretString) {
        try {
            JsonNode password = JSON.readTree(secretString).get("password");
            return password != null && password.isTextual() ? password.asText() : secretString;
        } catch (Exception e) {
            return secretString;
        }
    }

    private static boolean sameUnknownKeys(String rotated, String original) {
        try {
            JsonNode a = JSON.readTree(rotated);
            JsonNode b = JSON.readTree(original);
            for (var names = b.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!List.of("password", "username").contains(name) && !b.get(name).equals(a.get(name))) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    // ---- writing hostile JSON -------------------------------------------------------------------

    private static Object raw(String json) {
        return TestJson.raw(json);
    }

    /** The base fields with {@code key} set to {@code value} (a String is quoted, a raw value written as is). */
    private static String write(Base base, String key, Object value) {
        TestJson json = TestJson.object();
        base.fields().forEach(json::put);
        return json.put(key, value).write();
    }
}
