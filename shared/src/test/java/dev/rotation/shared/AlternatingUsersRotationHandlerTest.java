package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;

class AlternatingUsersRotationHandlerTest {
    private static final String ARN = FakeSecretsManager.ARN;
    private static final String MASTER_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:master-XyZ";
    private static final String APP_PASSWORD = "App-Passw0rd!";
    private static final String MASTER_PASSWORD = "Master-Passw0rd!";
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    private final FakeSecretsManager secretsManager = new FakeSecretsManager();
    private final FakeDatabase database = FakeDatabase.mysql().withUser("app", APP_PASSWORD)
            .withUser("admin", MASTER_PASSWORD);
    private final RecordingAdmin admin = new RecordingAdmin();
    private final List<String> logLines = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();

    static String secret(String username, String password, String masterArn) {
        return "{\"engine\":\"mysql\",\"host\":\"db.example.com\",\"port\":3306,\"username\":\"" + username
                + "\",\"password\":\"" + password + "\",\"dbname\":\"app\""
                + (masterArn == null ? "" : ",\"masterarn\":\"" + masterArn + "\"") + "}";
    }

    static String master(String host, String password) {
        return "{\"engine\":\"mysql\",\"host\":\"" + host + "\",\"port\":3306,\"username\":\"admin\",\"password\":\""
                + password + "\",\"dbname\":\"mysql\"}";
    }

    /** Fake user administration: records calls and, like a server, lets the user log in once its password is set. */
    final class RecordingAdmin implements UserAdministration {
        final List<String> calls = new ArrayList<>();

        @Override
        public UsernameLimit usernameLimit(Map<String, String> env) {
            return UsernameLimit.charactersFromEnvironment(env, "MAX_USERNAME_LENGTH", 32, 128, "test");
        }

        @Override
        public boolean currentUserExists(AdminRequest request) {
            calls.add("exists " + request.currentUser());
            return database.passwords.containsKey(request.currentUser());
        }

        @Override
        public void requireManageable(AdminRequest request) {
            calls.add("manageable " + request.otherUser());
        }

        @Override
        public AdminChanges ensureUser(AdminRequest request) {
            calls.add("ensure " + request.otherUser() + " like " + request.currentUser());
            return database.passwords.putIfAbsent(request.otherUser(), "unknown-" + request.otherUser()) == null
                    ? AdminChanges.of("created " + request.otherUser()) : AdminChanges.NONE;
        }

        @Override
        public AdminChanges synchronizePrivileges(AdminRequest request) {
            calls.add("sync " + request.currentUser() + " -> " + request.otherUser());
            return AdminChanges.NONE;
        }

        @Override
        public PasswordChange setPassword(AdminRequest request, String password) {
            calls.add("password " + request.otherUser());
            database.passwords.put(request.otherUser(), password);
            return new PasswordChange("a fake statement");
        }
    }

    /** Stands in for the RDS API: the ARNs asked for, and one endpoint per ARN. */
    private final Map<String, ServerAddress> rdsEndpoints = new HashMap<>();
    private final List<String> rdsLookups = new ArrayList<>();

    private AlternatingUsersRotationHandler handler() {
        return new AlternatingUsersRotationHandler(secretsManager, environment, database, admin, arn -> {
            rdsLookups.add(arn);
            ServerAddress endpoint = rdsEndpoints.get(arn);
            if (endpoint == null) {
                throw new RotationException("the RDS API knows no DB instance " + arn);
            }
            return endpoint;
        }, logLines::add);
    }

    private static final String INSTANCE_ARN = "arn:aws:rds:us-east-1:123456789012:db:app-db";
    private static final String CLUSTER_ARN = "arn:aws:rds:us-east-1:123456789012:cluster:app-cluster";

    /** A master secret as RDS manages it: username and password only, its server named by a system tag. */
    private void rdsManagedMaster(String tag, String resourceArn) {
        secretsManager.create(MASTER_ARN, "{\"username\":\"admin\",\"password\":\"" + MASTER_PASSWORD + "\"}");
        secretsManager.secret(MASTER_ARN).tags.put(tag, resourceArn);
    }

    private void run(String step, String token) {
        handler().handleRequest(new SecretsManagerRotationEvent(step, ARN, token, null), null);
    }

    private String rotate() {
        String token = secretsManager.startRotation();
        for (String step : STEPS) {
            run(step, token);
        }
        return token;
    }

    private DatabaseSecret current() {
        return DatabaseSecret.parse(secretsManager.valueAt("AWSCURRENT"));
    }

    @Test
    void rotation_twice_alternatesUsersAndKeepsThePreviousOneWorking() {
        secretsManager.create(secret("app", APP_PASSWORD, MASTER_ARN));
        secretsManager.create(MASTER_ARN, master("DB.example.com", MASTER_PASSWORD));

        rotate();

        DatabaseSecret first = current();
        assertThat(first.username()).isEqualTo("app_clone");
        assertThat(first.masterArn()).contains(MASTER_ARN);
        assertThat(database.accepts("app_clone", first.password())).isTrue();
        assertThat(database.accepts("app", APP_PASSWORD)).isTrue();
        assertThat(admin.calls).containsExactly("exists app", "manageable app_clone", "ensure app_clone like app",
                "sync app -> app_clone", "password app_clone");
        assertThat(database.attempts).extracting(FakeDatabase.Attempt::username).contains("admin");

        rotate();

        DatabaseSecret second = current();
        assertThat(second.username()).isEqualTo("app");
        assertThat(database.accepts("app", second.password())).isTrue();
        assertThat(database.accepts("app_clone", first.password())).isTrue();
        assertThat(admin.calls).endsWith("manageable app", "ensure app like app_clone", "sync app_clone -> app",
                "password app");
        assertThat(database.openConnections).isZero();
    }

    @Test
    void createSecret_whenCloneNameTooLong_failsWithoutWriting() {
        String name = "a".repeat(27);
        database.withUser(name, APP_PASSWORD);
        secretsManager.create(secret(name, APP_PASSWORD, MASTER_ARN));
        String token = secretsManager.startRotation();

        assertThatThrownBy(() -> run("createSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining(name + "_clone")
                .hasMessageContaining("33 characters");

        assertThat(secretsManager.calls(PutSecretValueRequest.class)).isEmpty();
        assertThat(secretsManager.valueAt("AWSPENDING")).isNull();
    }

    @Test
    void createSecret_withConfiguredLimit_acceptsLongerNames() {
        String name = "a".repeat(27);
        environment.put("MAX_USERNAME_LENGTH", "80");
        secretsManager.create(secret(name, APP_PASSWORD, MASTER_ARN));
        String token = secretsManager.startRotation();

        run("createSecret", token);

        assertThat(DatabaseSecret.parse(secretsManager.valueAt("AWSPENDING")).username()).isEqualTo(name + "_clone");
    }

    @Test
    void setSecret_whenMasterArnMissing_failsNamingTheKey() {
        secretsManager.create(secret("app", APP_PASSWORD, null));
        String token = secretsManager.startRotation();
        run("createSecret", token);

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("'masterarn'");
        assertThat(admin.calls).isEmpty();
    }

    @Test
    void setSecret_whenMasterSecretDoesNotExist_failsNamingKeyAndArn() {
        secretsManager.create(secret("app", APP_PASSWORD, MASTER_ARN));
        String token = secretsManager.startRotation();
        run("createSecret", token);

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("'masterarn'")
                .hasMessageContaining(MASTER_ARN)
                .hasMessageContaining("does not exist");
        assertThat(admin.calls).isEmpty();
    }

    @Test
    void setSecret_whenMasterIsForAnotherHost_failsWithoutLoggingInAsMaster() {
        secretsManager.create(secret("app", APP_PASSWORD, MASTER_ARN));
        secretsManager.create(MASTER_ARN, master("other.example.com", MASTER_PASSWORD));
        String token = secretsManager.startRotation();
        run("createSecret", token);

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("other.example.com:3306")
                .hasMessageContaining("db.example.com:3306");
        assertThat(database.attempts).extracting(FakeDatabase.Attempt::username).doesNotContain("admin");
        assertThat(admin.calls).isEmpty();
    }

    @Test
    void setSecret_whenMasterPasswordWrong_failsWithoutShowingIt() {
        secretsManager.create(secret("app", APP_PASSWORD, MASTER_ARN));
        secretsManager.create(MASTER_ARN, master("db.example.com", "Wrong-Master-Pw1"));
        String token = secretsManager.startRotation();
        run("createSecret", token);

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("refuses the master user 'admin'")
                .hasMessageNotContaining("Wrong-Master-Pw1");
        assertThat(String.join("\n", logLines)).doesNotContain("Wrong-Master-Pw1").doesNotContain(APP_PASSWORD);
        assertThat(admin.calls).isEmpty();
    }

    @Test
    void setSecret_whenCurrentNoLongerLogsIn_failsBeforeReadingTheMaster() {
        secretsManager.create(secret("app", APP_PASSWORD, MASTER_ARN));
        secretsManager.create(MASTER_ARN, master("db.example.com", MASTER_PASSWORD));
        String token = secretsManager.startRotation();
        run("createSecret", token);
        database.passwords.remove("app");

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("current user 'app' does not log in");
        assertThat(database.attempts).extracting(FakeDatabase.Attempt::username).doesNotContain("admin");
        assertThat(admin.calls).isEmpty();
    }

    @Test
    void setSecret_whenPendingNamesAnotherUser_fails() {
        secretsManager.create(secret("app", APP_PASSWORD, MASTER_ARN));
        secretsManager.create(MASTER_ARN, master("db.example.com", MASTER_PASSWORD));
        String token = secretsManager.startRotation();
        secretsManager.putVersion(token, secret("intruder", "Some-Passw0rd", MASTER_ARN), "AWSPENDING");

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("'intruder'")
                .hasMessageContaining("'app_clone'");
        assertThat(admin.calls).isEmpty();
    }

    @Test
    void setSecret_whenPendingAlreadyLogsIn_doesNothing() {
        secretsManager.create(secret("app", APP_PASSWORD, MASTER_ARN));
        secretsManager.create(MASTER_ARN, master("db.example.com", MASTER_PASSWORD));
        String token = secretsManager.startRotation();
        secretsManager.putVersion(token, secret("app_clone", "Clone-Passw0rd", MASTER_ARN), "AWSPENDING");
        database.withUser("app_clone", "Clone-Passw0rd");

        run("setSecret", token);

        assertThat(admin.calls).isEmpty();
    }

    @Test
    void setSecret_whenTheMasterSecretHasNoHostAndNoRdsTag_failsWithoutLoggingInAsTheMaster() {
        secretsManager.create(secret("app", APP_PASSWORD, MASTER_ARN));
        secretsManager.create(MASTER_ARN, "{\"username\":\"admin\",\"password\":\"" + MASTER_PASSWORD + "\"}");
        String token = secretsManager.startRotation();
        run("createSecret", token);

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("has no host key and is not managed by RDS")
                .hasMessageContaining("aws:rds:primaryDBInstanceArn");
        assertThat(database.attempts).extracting(FakeDatabase.Attempt::username).doesNotContain("admin");
        assertThat(admin.calls).isEmpty();
        assertThat(rdsLookups).isEmpty();
    }

    @Test
    void setSecret_whenAnRdsManagedMastersInstanceIsTheRotatedServer_logsInAsTheMasterThereOverTls() {
        secretsManager.create(secret("app", APP_PASSWORD, MASTER_ARN));
        rdsManagedMaster(AlternatingUsersRotationHandler.RDS_INSTANCE_TAG, INSTANCE_ARN);
        rdsEndpoints.put(INSTANCE_ARN, new ServerAddress("DB.example.com", 3306));
        String token = secretsManager.startRotation();
        run("createSecret", token);

        run("setSecret", token);

        assertThat(rdsLookups).containsExactly(INSTANCE_ARN);
        assertThat(database.attempts).contains(new FakeDatabase.Attempt("admin", DatabaseEngine.Tls.VERIFY));
        assertThat(database.attempts).doesNotContain(new FakeDatabase.Attempt("admin", DatabaseEngine.Tls.DISABLED));
        assertThat(admin.calls).endsWith("password app_clone");
    }

    @Test
    void setSecret_whenAnRdsManagedMastersClusterIsAnotherServer_failsWithoutLoggingInAsTheMaster() {
        secretsManager.create(secret("app", APP_PASSWORD, MASTER_ARN));
        rdsManagedMaster(AlternatingUsersRotationHandler.RDS_CLUSTER_TAG, CLUSTER_ARN);
        rdsEndpoints.put(CLUSTER_ARN, new ServerAddress("app-cluster.cluster-abc.us-east-1.rds.amazonaws.com", 3306));
        String token = secretsManager.startRotation();
        run("createSecret", token);

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("app-cluster.cluster-abc.us-east-1.rds.amazonaws.com:3306")
                .hasMessageContaining("db.example.com:3306")
                .hasMessageContaining("never from the rotated secret");
        assertThat(rdsLookups).containsExactly(CLUSTER_ARN);
        assertThat(database.attempts).extracting(FakeDatabase.Attempt::username).doesNotContain("admin");
        assertThat(admin.calls).isEmpty();
    }

    @Test
    void setSecret_whenTheMasterIsOneOfThePair_fails() {
        database.withUser("app_clone", "Clone-Passw0rd");
        secretsManager.create(secret("app", APP_PASSWORD, MASTER_ARN));
        secretsManager.create(MASTER_ARN, master("db.example.com", MASTER_PASSWORD).replace("\"admin\"", "\"app_clone\""));
        String token = secretsManager.startRotation();
        run("createSecret", token);

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("is one of the alternating pair");
        assertThat(admin.calls).isEmpty();
    }

    @Test
    void rotation_writesAValidMetricsObjectPerStepWithoutTheMastersPassword() {
        environment.put("METRICS_SECRET_NAME_DIMENSION", "true");
        secretsManager.create(secret("app", APP_PASSWORD, MASTER_ARN));
        secretsManager.create(MASTER_ARN, master("db.example.com", MASTER_PASSWORD));

        rotate();

        List<String> metrics = logLines.stream().filter(line -> line.startsWith("{\"_aws\":")).toList();
        assertThat(metrics).hasSize(4).allSatisfy(line -> {
            assertThat(EmbeddedMetricFormat.problems(line)).isEmpty();
            assertThat(line).contains("\"Succeeded\":1").doesNotContain(MASTER_PASSWORD).doesNotContain(APP_PASSWORD)
                    .doesNotContain(current().password()).doesNotContain("master");
        });
    }
}
