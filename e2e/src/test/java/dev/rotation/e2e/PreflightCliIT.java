package dev.rotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code rotation-local preflight} and {@code invoke --secret-id} as a user runs them, from the project
 * root, against a local Secrets Manager and a throwaway MariaDB: a healthy secret passes (exit 0), a
 * broken one fails naming the check (exit 1); invoke rotates an enabled secret and refuses, as
 * RotateSecret does, one without rotation or with an unfinished rotation.
 */
class PreflightCliIT {
    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:rds-rotation-mysql";

    @TempDir
    static Path dir;

    private static LocalSecretsManager server;
    private static SecretsManagerClient sm;
    private static Path envVars;
    private static TestDatabase db;
    private static String database;

    @BeforeAll
    static void start() throws Exception {
        Processes.requireJars();
        // RotateSecret only turns rotation on here: its steps are the test's to run, with invoke.
        server = LocalSecretsManager.builder().port(0).rotationInvoker((arn, step) -> { }).build().start();
        sm = SecretsManagerClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local")))
                .build();
        envVars = Files.writeString(dir.resolve("env.json"), "{\"MySqlRotationFunction\": {\"SECRETS_MANAGER_ENDPOINT\": \""
                + server.endpoint() + "\", \"AWS_REGION\": \"us-east-1\"}}");
        db = TestDatabases.mysql();
        database = db.createDatabase("preflightcli");
    }

    @AfterAll
    static void stop() {
        if (sm != null) {
            sm.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A secret for a new user, rotation on (its RotateSecret's placeholder version dropped again). */
    private static String enabledSecret(String user, String password) {
        String arn = sm.createSecret(r -> r.name("cli/" + user).secretString(secretJson(user, password))).arn();
        String token = sm.rotateSecret(r -> r.secretId(arn).rotationLambdaARN(FUNCTION_ARN)).versionId();
        server.awaitRotations(java.time.Duration.ofSeconds(30));
        sm.updateSecretVersionStage(r -> r.secretId(arn).versionStage("AWSPENDING").removeFromVersionId(token));
        return arn;
    }

    private static String secretJson(String user, String password) {
        return "{\"engine\":\"" + db.engine() + "\",\"host\":\"" + db.host() + "\",\"port\":" + db.port()
                + ",\"username\":\"" + user + "\",\"password\":\"" + password + "\",\"dbname\":\"" + database
                + "\",\"ssl\":false}";
    }

    private static String newUser(String password) {
        String user = "pfcli_" + UUID.randomUUID().toString().substring(0, 8);
        db.createAppUser(database, user, password);
        return user;
    }

    private static Processes.Result cli(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--env-vars", envVars.toString()));
        return Processes.rotationLocal(Processes.ROOT, 180, Map.of(), all.toArray(String[]::new));
    }

    @Test
    void invokeSecretId_rotates_andPreflightPassesBeforeAndAfter() throws Exception {
        String password = "First-" + UUID.randomUUID();
        String user = newUser(password);
        String arn = enabledSecret(user, password);

        Processes.Result before = cli("preflight", "MySqlRotationFunction", "--secret-id", arn);
        assertThat(before.exit()).as("%s%s", before.out(), before.err()).isZero();
        assertThat(before.out()).contains("login: user '" + user + "' logs in").contains("All ")
                .doesNotContain(password);

        Processes.Result invoke = cli("invoke", "MySqlRotationFunction", "--secret-id", arn);
        assertThat(invoke.exit()).as(invoke.err()).isZero();
        assertThat(invoke.err()).contains("Rotated " + arn).contains("finishSecret").doesNotContain(password);
        assertThat(invoke.err().split("REPORT RequestId", -1)).as("four steps").hasSize(5);
        String newPassword = sm.getSecretValue(r -> r.secretId(arn)).secretString().replaceAll(
                ".*\"password\":\"([^\"]+)\".*", "$1");
        assertThat(db.canLogin(database, user, password)).as("the old password").isFalse();
        assertThat(db.canLogin(database, user, newPassword)).as("the new password").isTrue();
        assertThat(invoke.out() + invoke.err()).doesNotContain(newPassword);

        Processes.Result after = cli("preflight", "MySqlRotationFunction", "--secret-id", arn);
        assertThat(after.exit()).as("%s%s", after.out(), after.err()).isZero();
    }

    @Test
    void preflight_ofASecretWhosePasswordChangedOutsideRotation_failsTheLoginCheckWithExitOne() throws Exception {
        String password = "First-" + UUID.randomUUID();
        String user = newUser(password);
        String arn = enabledSecret(user, password);
        String wrong = "Wrong-" + UUID.randomUUID();
        sm.putSecretValue(r -> r.secretId(arn).secretString(secretJson(user, wrong)));

        Processes.Result r = cli("preflight", "MySqlRotationFunction", "--secret-id", arn);

        assertThat(r.exit()).as("%s%s", r.out(), r.err()).isEqualTo(1);
        assertThat(r.out()).containsPattern("(✗|\\[FAILED\\]) login: the database refuses user '" + user + "'")
                .containsPattern("(✓|\\[ok\\]) database-reach: ").contains("1 of ").contains("checks failed");
        assertThat(r.out() + r.err()).doesNotContain(password).doesNotContain(wrong);
    }

    @Test
    void invokeSecretId_refusesASecretWithoutRotation_andOneWithAnUnfinishedRotation() throws Exception {
        String password = "First-" + UUID.randomUUID();
        String user = newUser(password);
        String plain = sm.createSecret(r -> r.name("cli/off-" + user).secretString(secretJson(user, password))).arn();

        Processes.Result off = cli("invoke", "MySqlRotationFunction", "--secret-id", plain);
        assertThat(off.exit()).isEqualTo(1);
        assertThat(off.err()).contains("rotation is not enabled on secret " + plain);

        String arn = enabledSecret(user, password);
        sm.putSecretValue(r -> r.secretId(arn).secretString(secretJson(user, "Pending-" + UUID.randomUUID()))
                .versionStages("AWSPENDING"));
        Processes.Result stuck = cli("invoke", "MySqlRotationFunction", "--secret-id", arn);
        assertThat(stuck.exit()).isEqualTo(1);
        assertThat(stuck.err()).contains("a previous rotation isn't complete");
        assertThat(db.canLogin(database, user, password)).as("nothing changed").isTrue();
    }

    @Test
    void eventsPreflightJson_throughInvoke_answersTheChecksAsJson() throws Exception {
        String password = "First-" + UUID.randomUUID();
        String user = newUser(password);
        if (sm.listSecrets(r -> r.filters(f -> f.key("name").values("demo/mysql"))).secretList().isEmpty()) {
            sm.createSecret(r -> r.name("demo/mysql").secretString(secretJson(user, password)));
        }

        Processes.Result r = cli("invoke", "MySqlRotationFunction", "-e", "events/preflight.json");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("{\"ok\":").contains("\"checks\":[{\"name\":\"configuration\",\"ok\":true")
                .contains("\"name\":\"secret-readable\",\"ok\":true").doesNotContain(password);
    }
}
