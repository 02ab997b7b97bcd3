package dev.rotation.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.shared.AlternateUsername;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.EngineTargets;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.RotationWorld.Account;
import dev.rotation.testkit.RotationWorld.SecretState;
import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.TestJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The preflight event, {@code {"Step": "preflight", "SecretId": ...}}, on real servers and the local
 * Secrets Manager, for both strategies: a healthy secret passes every check; each broken set-up fails
 * exactly the check that names it (the checks that depend on it are listed as not checked, not
 * failed); nothing changes in the secret or on the server; no secret value reaches the answer or the
 * log.
 */
@Tag(EngineTarget.WIRE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class PreflightIT {
    private static final List<String> SINGLE_USER_CHECKS = List.of("configuration", "secrets-manager",
            "secret-readable", "rotation-settings", "secret-json", "no-stray-pending", "database-reach", "tls", "login");
    private static final List<String> ALTERNATING_CHECKS = List.of("master-secret", "master-server", "master-login",
            "master-privileges", "other-user");

    private EngineTarget target;
    private String dbName;
    private TlsMaterial tls;
    private TlsMaterial otherCa;
    private TlsMaterial localhostOnly;
    private TestDatabase tlsServer;
    private TestDatabase wrongNameServer;
    private String tlsDbName;
    private String wrongNameDbName;

    @BeforeAll
    void start() {
        target = EngineTargets.current();
        dbName = target.database().createDatabase("preflight");
        tls = TlsMaterial.generate("127.0.0.1");
        otherCa = TlsMaterial.generate("127.0.0.1");
        localhostOnly = TlsMaterial.generate("localhost");
        tlsServer = target.startTlsDatabase(tls);
        wrongNameServer = target.startTlsDatabase(localhostOnly);
        tlsDbName = tlsServer.createDatabase("preflight");
        wrongNameDbName = wrongNameServer.createDatabase("preflight");
    }

    @AfterAll
    void stop() {
        for (AutoCloseable resource : new AutoCloseable[] {wrongNameServer, tlsServer, localhostOnly, otherCa, tls}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                // Throwaway servers and temporary files.
            }
        }
    }

    // ---- healthy ---------------------------------------------------------------------------------

    @Test
    void healthySingleUserSecret_passesEveryCheck() {
        try (RotationWorld f = world(Strategy.SINGLE_USER, target.database(), dbName)) {
            String arn = rotatedSecret(f, UnaryOperator.identity());
            Answer answer = preflight(f, arn);
            answer.assertAllPass(SINGLE_USER_CHECKS);
        }
    }

    @Test
    void healthyAlternatingUsersSecret_passesEveryCheck_andCreatesNoUser() {
        try (RotationWorld f = world(Strategy.ALTERNATING_USERS, target.database(), dbName)) {
            String arn = f.newApplicationSecret("pf");
            String other = AlternateUsername.of(f.current(arn).username());
            assertThat(f.db.userExists(other)).isFalse();
            f.rotateSuccessfully(arn); // rotation on; the clone now current, the base user the other one
            Answer answer = preflight(f, arn);
            List<String> all = new ArrayList<>(SINGLE_USER_CHECKS);
            all.addAll(ALTERNATING_CHECKS);
            answer.assertAllPass(all);
            assertThat(answer.detail("other-user")).contains("exists and is one the pair manages");
        }
    }

    @Test
    void healthyAlternatingUsersSecret_beforeItsFirstRotation_saysTheOtherUserIsCreatedNext() {
        try (RotationWorld f = world(Strategy.ALTERNATING_USERS, target.database(), dbName)) {
            String arn = f.newApplicationSecret("pfnew");
            String function = enableRotationWithoutRotating(f, arn);
            String other = AlternateUsername.of(f.current(arn).username());
            Answer answer = preflight(f, arn, function);
            assertThat(answer.failed()).isEmpty();
            assertThat(answer.detail("other-user")).contains("does not exist yet");
            assertThat(f.db.userExists(other)).as("preflight creates no user").isFalse();
        }
    }

    @Test
    void healthySecretOverVerifiedTls_passesAndNamesTheCaBundle() {
        try (RotationWorld f = world(Strategy.SINGLE_USER, tlsServer, tlsDbName)) {
            f.environment("DB_TLS_CA_BUNDLE", tls.caCertificate().toString());
            String arn = rotatedSecret(f, s -> s.put("host", "127.0.0.1").put("ssl", true));
            Answer answer = preflight(f, arn);
            answer.assertAllPass(SINGLE_USER_CHECKS);
            assertThat(answer.detail("tls")).contains("verified").contains(tls.caCertificate().toString());
        }
    }

    // ---- broken set-ups: each fails exactly its check ----------------------------------------------

    @Test
    void wrongPassword_failsLogin() {
        for (Strategy strategy : Strategy.values()) {
            try (RotationWorld f = world(strategy, target.database(), dbName)) {
                String arn = strategy == Strategy.SINGLE_USER ? rotatedSecret(f, UnaryOperator.identity())
                        : rotatedApplicationSecret(f);
                putCurrent(f, arn, current -> current.put("password", f.newPassword()));
                preflight(f, arn).assertFailsOnly("login", "refuses user");
            }
        }
    }

    @Test
    void unreachableHost_failsDatabaseReach() {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (RotationWorld f = world(Strategy.SINGLE_USER, target.database(), dbName)) {
            String arn = rotatedSecret(f, UnaryOperator.identity());
            putCurrent(f, arn, current -> current.put("port", closedPort));
            Answer answer = preflight(f, arn);
            answer.assertFailsOnly("database-reach", "does not accept connections");
            assertThat(answer.notChecked()).contains("tls", "login");
        }
    }

    @Test
    void unresolvableHost_failsDatabaseReach() {
        try (RotationWorld f = world(Strategy.SINGLE_USER, target.database(), dbName)) {
            String arn = rotatedSecret(f, UnaryOperator.identity());
            putCurrent(f, arn, current -> current.put("host", "no-such-host.invalid"));
            preflight(f, arn).assertFailsOnly("database-reach", "does not resolve");
        }
    }

    @Test
    void caThatDidNotSignTheServer_failsTlsNamingTheBundle() {
        try (RotationWorld f = world(Strategy.SINGLE_USER, tlsServer, tlsDbName)) {
            f.environment("DB_TLS_CA_BUNDLE", tls.caCertificate().toString());
            String arn = rotatedSecret(f, s -> s.put("host", "127.0.0.1").put("ssl", true));
            f.environment("DB_TLS_CA_BUNDLE", otherCa.caCertificate().toString());
            Answer answer = preflight(f, arn);
            answer.assertFailsOnly("tls", otherCa.caCertificate().toString());
            assertThat(answer.notChecked()).contains("login");
        }
    }

    @Test
    void certificateForAnotherHostName_failsTls() {
        try (RotationWorld f = world(Strategy.SINGLE_USER, wrongNameServer, wrongNameDbName)) {
            String arn = rotatedSecret(f, s -> s.put("host", "127.0.0.1"));
            f.environment("DB_TLS_CA_BUNDLE", localhostOnly.caCertificate().toString());
            putCurrent(f, arn, current -> current.put("ssl", true));
            preflight(f, arn).assertFailsOnly("tls", "name in the server's certificate");
        }
    }

    @Test
    void rotationDisabled_failsRotationSettingsWithTheCommandThatEnablesIt() {
        try (RotationWorld f = world(Strategy.SINGLE_USER, target.database(), dbName)) {
            String arn = f.createSecret(f.secretFor(f.newAccount("pfoff")).write());
            preflight(f, arn).assertFailsOnly("rotation-settings", "aws secretsmanager rotate-secret");
        }
    }

    @Test
    void secretRotatedByAnotherFunction_failsRotationSettings() {
        try (RotationWorld f = world(Strategy.SINGLE_USER, target.database(), dbName)) {
            String arn = rotatedSecret(f, UnaryOperator.identity());
            preflight(f, arn, "arn:aws:lambda:us-east-1:123456789012:function:some-other-function")
                    .assertFailsOnly("rotation-settings", "not by this function");
        }
    }

    @Test
    void strayPending_failsNoStrayPendingWithTheCommandThatClearsIt() {
        try (RotationWorld f = world(Strategy.SINGLE_USER, target.database(), dbName)) {
            String arn = rotatedSecret(f, UnaryOperator.identity());
            DatabaseSecret current = f.current(arn);
            String stray = f.secretFor(new Account(current.username(), f.newPassword())).write();
            String version = f.sm.putSecretValue(r -> r.secretId(arn).secretString(stray).versionStages("AWSPENDING"))
                    .versionId();
            preflight(f, arn).assertFailsOnly("no-stray-pending", "--version-stage AWSPENDING --remove-from-version-id "
                    + version);
        }
    }

    @Test
    void wrongEngine_failsSecretJson() {
        try (RotationWorld f = world(Strategy.SINGLE_USER, target.database(), dbName)) {
            String arn = rotatedSecret(f, UnaryOperator.identity());
            String other = f.db.engine().startsWith("postgres") || f.db.engine().startsWith("aurora-postgres")
                    ? "mysql" : "postgres";
            putCurrent(f, arn, current -> current.put("engine", other));
            Answer answer = preflight(f, arn);
            answer.assertFailsOnly("secret-json", "key 'engine'");
            assertThat(answer.notChecked()).contains("database-reach", "tls", "login");
        }
    }

    @Test
    void missingKey_failsSecretJson() {
        try (RotationWorld f = world(Strategy.SINGLE_USER, target.database(), dbName)) {
            String arn = rotatedSecret(f, UnaryOperator.identity());
            putCurrent(f, arn, current -> current.without("host"));
            preflight(f, arn).assertFailsOnly("secret-json", "host");
        }
    }

    @Test
    void invalidConfiguration_failsConfigurationNamingTheVariable() {
        try (RotationWorld f = world(Strategy.SINGLE_USER, target.database(), dbName)) {
            String arn = rotatedSecret(f, UnaryOperator.identity());
            f.environment("DB_CONNECT_TIMEOUT_SECONDS", "soon");
            preflight(f, arn).assertFailsOnly("configuration", "DB_CONNECT_TIMEOUT_SECONDS");
        }
    }

    @Test
    void unreachableSecretsManager_failsSecretsManager() {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (RotationWorld f = world(Strategy.SINGLE_USER, target.database(), dbName);
                SecretsManagerClient dead = RotationWorld.client(URI.create("http://127.0.0.1:" + closedPort))) {
            String arn = rotatedSecret(f, UnaryOperator.identity());
            RequestStreamHandler handler = (RequestStreamHandler) f.handler(Strategy.SINGLE_USER, dead,
                    target.engine(), target.userAdministration());
            Answer answer = invoke(f, handler, arn, f.function());
            answer.assertFailsOnly("secrets-manager", "cannot reach Secrets Manager");
        }
    }

    @Test
    void masterWithoutUserCreation_failsMasterPrivilegesNamingIt() {
        try (RotationWorld f = world(Strategy.ALTERNATING_USERS, target.database(), dbName)) {
            String arn = f.newApplicationSecret("pfpriv");
            String function = enableRotationWithoutRotating(f, arn);
            String masterArn = f.current(arn).masterArn().orElseThrow();
            target.revokeUserCreation(f.db, f.masterUserOf(masterArn));
            String missing = f.db.engine().contains("postgres") ? "CREATEROLE" : "CREATE USER";
            preflight(f, arn, function).assertFailsOnly("master-privileges", missing);
        }
    }

    @Test
    void masterSecretForAnotherServer_failsMasterServer() {
        try (RotationWorld f = world(Strategy.ALTERNATING_USERS, target.database(), dbName)) {
            String arn = rotatedApplicationSecret(f);
            String masterArn = f.current(arn).masterArn().orElseThrow();
            String master = f.masterUserOf(masterArn);
            String masterJson = f.sm.getSecretValue(r -> r.secretId(masterArn).versionStage("AWSCURRENT"))
                    .secretString();
            String password = JsonNode.parser().parse(masterJson).asObject().get("password").asString();
            String otherName = f.db.host().equals("localhost") ? "127.0.0.1" : "localhost";
            f.sm.putSecretValue(r -> r.secretId(masterArn).secretString(f.masterSecret(master, password)
                    .put("host", otherName).write()));
            preflight(f, arn).assertFailsOnly("master-server", "is for server " + otherName);
        }
    }

    @Test
    void missingMasterArn_failsMasterSecret() {
        try (RotationWorld f = world(Strategy.ALTERNATING_USERS, target.database(), dbName)) {
            String arn = rotatedApplicationSecret(f);
            putCurrent(f, arn, current -> current.without("masterarn"));
            preflight(f, arn).assertFailsOnly("master-secret", "masterarn");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private RotationWorld world(Strategy strategy, TestDatabase db, String database) {
        return RotationWorld.builder(target).database(db, database).strategy(strategy).build();
    }

    /** A single-user secret (changed by {@code shape}) that went through one successful rotation: rotation is on. */
    private String rotatedSecret(RotationWorld f, UnaryOperator<TestJson> shape) {
        String arn = f.createSecret(shape.apply(f.secretFor(f.newAccount("pf"))).write());
        f.rotateSuccessfully(arn);
        return arn;
    }

    private String rotatedApplicationSecret(RotationWorld f) {
        String arn = f.newApplicationSecret("pfalt");
        f.rotateSuccessfully(arn);
        return arn;
    }

    /**
     * Rotation on without a rotation: RotateSecret with a function that does nothing (which leaves a
     * value-less AWSPENDING), then that label dropped. Returns the function the secret then names.
     */
    private String enableRotationWithoutRotating(RotationWorld f, String arn) {
        String token = f.startPendingRotation(arn);
        f.sm.updateSecretVersionStage(r -> r.secretId(arn).versionStage("AWSPENDING").removeFromVersionId(token));
        return RotationWorld.NOOP_FUNCTION;
    }

    /**
     * Puts a new AWSCURRENT: the current value's keys, changed by {@code change}. The finished rotation's
     * AWSPENDING label, still on the current version, is taken off first, or it would stay on the old
     * version: a stray AWSPENDING, which is another check's failure.
     */
    private void putCurrent(RotationWorld f, String arn, UnaryOperator<TestJson> change) {
        String currentVersion = f.versionHolding(arn, "AWSCURRENT");
        if (f.labels(arn).get(currentVersion).contains("AWSPENDING")) {
            f.sm.updateSecretVersionStage(r -> r.secretId(arn).versionStage("AWSPENDING")
                    .removeFromVersionId(currentVersion));
        }
        JsonNode current = JsonNode.parser().parse(f.currentValue(arn));
        TestJson json = TestJson.object();
        current.asObject().forEach((key, value) -> json.put(key, TestJson.raw(toJson(value))));
        String value = change.apply(json).write();
        f.sm.putSecretValue(r -> r.secretId(arn).secretString(value));
    }

    private static String toJson(JsonNode node) {
        if (node.isString()) {
            return TestJson.quote(node.asString());
        }
        if (node.isNumber()) {
            return node.asNumber();
        }
        if (node.isBoolean()) {
            return String.valueOf(node.asBoolean());
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.asArray().forEach(element -> parts.add(toJson(element)));
            return "[" + String.join(",", parts) + "]";
        }
        List<String> parts = new ArrayList<>();
        node.asObject().forEach((k, v) -> parts.add(TestJson.quote(k) + ":" + toJson(v)));
        return "{" + String.join(",", parts) + "}";
    }

    private Answer preflight(RotationWorld f, String arn) {
        return preflight(f, arn, f.function());
    }

    private Answer preflight(RotationWorld f, String arn, String functionArn) {
        return invoke(f, (RequestStreamHandler) f.handler(f.strategy), arn, functionArn);
    }

    /** Sends the event through the stream handler as Lambda does, checking that nothing changed and nothing leaked. */
    private Answer invoke(RotationWorld f, RequestStreamHandler handler, String arn, String functionArn) {
        SecretState before = f.state(arn);
        Map<String, Boolean> usersBefore = users(f, arn);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String event = "{\"Step\":\"preflight\",\"SecretId\":" + TestJson.quote(arn) + "}";
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    context(functionArn));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(f.state(arn)).as("the secret after preflight").isEqualTo(before);
        assertThat(users(f, arn)).as("the users on the server after preflight").isEqualTo(usersBefore);
        for (String password : f.passwords) {
            assertThat(text).as("the answer").doesNotContain(password);
        }
        for (String value : before.values().values()) {
            assertThat(text).as("the answer").doesNotContain(value);
        }
        f.assertNoPasswordInLogs();
        assertThat(f.logLines).anyMatch(line -> line.contains("\"step\":\"preflight\""));
        return new Answer(text);
    }

    /** Whether each user the secret's versions name exists, and whether its current password still logs in. */
    private static Map<String, Boolean> users(RotationWorld f, String arn) {
        Map<String, Boolean> users = new LinkedHashMap<>();
        try {
            DatabaseSecret current = f.current(arn);
            users.put(current.username(), f.db.userExists(current.username()));
            String other = AlternateUsername.of(current.username());
            users.put(other, f.db.userExists(other));
            users.put("current password logs in", f.canLogin(current));
        } catch (RuntimeException unparsable) {
            // A broken set-up's secret: the database side is compared through the other versions' users.
        }
        return users;
    }

    private static Context context(String functionArn) {
        return new Context() {
            public String getAwsRequestId() {
                return "preflight-request";
            }

            public String getLogGroupName() {
                return "/aws/lambda/test";
            }

            public String getLogStreamName() {
                return "test";
            }

            public String getFunctionName() {
                return functionArn.substring(functionArn.lastIndexOf(':') + 1);
            }

            public String getFunctionVersion() {
                return "$LATEST";
            }

            public String getInvokedFunctionArn() {
                return functionArn;
            }

            public CognitoIdentity getIdentity() {
                return null;
            }

            public ClientContext getClientContext() {
                return null;
            }

            public int getRemainingTimeInMillis() {
                return 30_000;
            }

            public int getMemoryLimitInMB() {
                return 512;
            }

            public LambdaLogger getLogger() {
                return null;
            }
        };
    }

    /** The preflight answer. */
    private static final class Answer {
        private final String text;
        private final JsonNode json;

        Answer(String text) {
            this.text = text;
            this.json = JsonNode.parser().parse(text);
        }

        List<String> names() {
            List<String> names = new ArrayList<>();
            json.asObject().get("checks").asArray().forEach(c -> names.add(c.asObject().get("name").asString()));
            return names;
        }

        List<String> failed() {
            List<String> names = new ArrayList<>();
            json.asObject().get("checks").asArray().forEach(c -> {
                if (!c.asObject().get("ok").asBoolean()) {
                    names.add(c.asObject().get("name").asString());
                }
            });
            return names;
        }

        List<String> notChecked() {
            List<String> names = new ArrayList<>();
            json.asObject().get("notChecked").asArray().forEach(n -> names.add(n.asString()));
            return names;
        }

        String detail(String name) {
            for (JsonNode check : json.asObject().get("checks").asArray()) {
                if (check.asObject().get("name").asString().equals(name)) {
                    return check.asObject().get("detail").asString();
                }
            }
            throw new AssertionError("no check " + name + " in " + text);
        }

        void assertAllPass(List<String> expected) {
            assertThat(failed()).as("failed checks in %s", text).isEmpty();
            assertThat(names()).as("checks").containsExactlyElementsOf(expected);
            assertThat(notChecked()).as("not checked").isEmpty();
            assertThat(json.asObject().get("ok").asBoolean()).isTrue();
        }

        void assertFailsOnly(String check, String detailFragment) {
            assertThat(failed()).as("failed checks in %s", text).containsExactly(check);
            assertThat(detail(check)).contains(detailFragment);
            assertThat(json.asObject().get("ok").asBoolean()).isFalse();
        }
    }
}
