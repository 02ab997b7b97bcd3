package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageRequest;

class SingleUserRotationHandlerTest {
    private static final String ARN = FakeSecretsManager.ARN;
    private static final String OLD_PASSWORD = "Old-Passw0rd!";
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    private final FakeSecretsManager secretsManager = new FakeSecretsManager();
    private final FakeDatabase database = FakeDatabase.mysql().withUser("app", OLD_PASSWORD);
    private final List<String> logLines = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();

    static String secret(String username, String password) {
        return "{\"engine\":\"mysql\",\"host\":\"db.example.com\",\"port\":3306,\"username\":\"" + username
                + "\",\"password\":\"" + password + "\",\"dbname\":\"app\",\"team\":{\"owner\":\"ops\"}}";
    }

    private SingleUserRotationHandler handler() {
        return new SingleUserRotationHandler(secretsManager, environment, database, logLines::add);
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

    private String currentPassword() {
        return DatabaseSecret.parse(secretsManager.valueAt("AWSCURRENT")).password();
    }

    @Test
    void rotation_changesPasswordAndMovesLabels() {
        String first = secretsManager.create(secret("app", OLD_PASSWORD));

        String token = rotate();

        String newPassword = currentPassword();
        assertThat(newPassword).isNotEqualTo(OLD_PASSWORD);
        assertThat(database.accepts("app", newPassword)).isTrue();
        assertThat(database.accepts("app", OLD_PASSWORD)).isFalse();
        assertThat(secretsManager.stagesSnapshot().get(token)).containsExactlyInAnyOrder("AWSCURRENT", "AWSPENDING");
        assertThat(secretsManager.stagesSnapshot().get(first)).containsExactly("AWSPREVIOUS");
        assertThat(secretsManager.valueAt("AWSCURRENT"))
                .isEqualTo(secret("app", OLD_PASSWORD).replace(OLD_PASSWORD, newPassword));
        assertThat(database.openConnections).isZero();
    }

    @Test
    void rotation_threeTimesInARow_eachNewPasswordLogsIn() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        List<String> passwords = new ArrayList<>(List.of(OLD_PASSWORD));

        for (int i = 0; i < 3; i++) {
            String token = rotate();
            assertThat(secretsManager.versionAt("AWSCURRENT")).isEqualTo(token);
            passwords.add(currentPassword());
        }

        assertThat(passwords).doesNotHaveDuplicates();
        assertThat(database.accepts("app", passwords.get(3))).isTrue();
        assertThat(passwords.subList(0, 3)).noneMatch(p -> database.accepts("app", p));
        assertThat(DatabaseSecret.parse(secretsManager.valueAt("AWSPREVIOUS")).password()).isEqualTo(passwords.get(2));
        assertThat(database.passwordChanges).isEqualTo(3);
    }

    @Test
    void rotation_everyStepTwice_sameEndStateAsOnce() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();

        for (String step : STEPS) {
            run(step, token);
            run(step, token);
        }

        assertThat(secretsManager.versionAt("AWSCURRENT")).isEqualTo(token);
        assertThat(database.accepts("app", currentPassword())).isTrue();
        assertThat(database.passwordChanges).isEqualTo(1);
        assertThat(secretsManager.calls(GetRandomPasswordRequest.class)).hasSize(1);
        assertThat(secretsManager.calls(PutSecretValueRequest.class)).hasSize(1);
        assertThat(secretsManager.calls(UpdateSecretVersionStageRequest.class)).hasSize(1);
    }

    @Test
    void rotation_rerunWithSameToken_changesNothing() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = rotate();
        Map<String, List<String>> stages = secretsManager.stagesSnapshot();
        Map<String, String> values = secretsManager.valuesSnapshot();
        String password = currentPassword();

        for (String step : STEPS) {
            run(step, token);
        }

        assertThat(secretsManager.stagesSnapshot()).isEqualTo(stages);
        assertThat(secretsManager.valuesSnapshot()).isEqualTo(values);
        assertThat(database.accepts("app", password)).isTrue();
        assertThat(database.passwordChanges).isEqualTo(1);
        assertThat(logLines).filteredOn(line -> line.contains("\"outcome\":\"skipped\"")).hasSize(4)
                .allMatch(line -> line.contains("already AWSCURRENT"));
    }

    @Test
    void entryCheck_whenRotationDisabled_failsAndChangesNothing() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        secretsManager.secret().rotationEnabled = false;

        assertThatThrownBy(() -> run("createSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessage("createSecret failed for secret " + ARN + ": rotation is not enabled on the secret");
        assertThat(secretsManager.calls(PutSecretValueRequest.class)).isEmpty();
        assertThat(secretsManager.calls(GetSecretValueRequest.class)).isEmpty();
    }

    @Test
    void entryCheck_whenTokenUnknown_fails() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        secretsManager.startRotation();

        assertThatThrownBy(() -> run("createSecret", "no-such-version-0000000000000000000"))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("the secret has no version no-such-version-0000000000000000000");
        assertThat(secretsManager.calls(PutSecretValueRequest.class)).isEmpty();
    }

    @Test
    void entryCheck_whenTokenNotPending_fails() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        secretsManager.putVersion("previous-version-00000000000000000000", secret("app", "older"), "AWSPREVIOUS");
        secretsManager.startRotation();

        assertThatThrownBy(() -> run("setSecret", "previous-version-00000000000000000000"))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("version previous-version-00000000000000000000 is not AWSPENDING");
        assertThat(database.attempts).isEmpty();
    }

    @Test
    void entryCheck_whenTokenAlreadyCurrent_succeedsWithoutChanges() {
        String current = secretsManager.create(secret("app", OLD_PASSWORD));

        for (String step : STEPS) {
            run(step, current);
        }

        assertThat(secretsManager.calls(GetSecretValueRequest.class)).isEmpty();
        assertThat(secretsManager.calls(UpdateSecretVersionStageRequest.class)).isEmpty();
        assertThat(database.attempts).isEmpty();
        assertThat(logLines).filteredOn(line -> line.contains("\"outcome\":\"skipped\"")).hasSize(4);
    }

    @Test
    void entryCheck_whenStepUnknown_fails() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();

        assertThatThrownBy(() -> run("deleteSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("unknown step");
        assertThat(secretsManager.calls(GetSecretValueRequest.class)).isEmpty();
    }

    @Test
    void entryCheck_whenEventLacksFields_fails() {
        assertThatThrownBy(() -> handler().handleRequest(new SecretsManagerRotationEvent("createSecret", ARN, null, null),
                null)).isInstanceOf(RotationException.class).hasMessageContaining("the event has no ClientRequestToken");
        assertThatThrownBy(() -> handler().handleRequest(null, null))
                .isInstanceOf(RotationException.class).hasMessageContaining("the event has no Step");
        assertThat(secretsManager.calls).isEmpty();
    }

    @Test
    void createSecret_storesCurrentWithNewPasswordAsPending() {
        String current = secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        secretsManager.nextRandomPasswords("N3w-pass:word%");

        run("createSecret", token);

        assertThat(secretsManager.valueAt("AWSPENDING")).isEqualTo(secret("app", "N3w-pass:word%"));
        PutSecretValueRequest put = secretsManager.calls(PutSecretValueRequest.class).get(0);
        assertThat(put.clientRequestToken()).isEqualTo(token);
        assertThat(put.versionStages()).containsExactly("AWSPENDING");
        assertThat(secretsManager.versionAt("AWSCURRENT")).isEqualTo(current);
        assertThat(database.attempts).isEmpty();
    }

    @Test
    void createSecret_readsByLabelAndVersionId() {
        String current = secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();

        run("createSecret", token);

        assertThat(secretsManager.calls(GetSecretValueRequest.class))
                .extracting(GetSecretValueRequest::versionId, GetSecretValueRequest::versionStage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(current, "AWSCURRENT"),
                        org.assertj.core.groups.Tuple.tuple(token, "AWSPENDING"));
    }

    @Test
    void createSecret_whenPendingExists_doesNothing() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        secretsManager.putVersion(token, secret("app", "Already-Chosen1"), "AWSPENDING");

        run("createSecret", token);

        assertThat(secretsManager.calls(GetRandomPasswordRequest.class)).isEmpty();
        assertThat(secretsManager.calls(PutSecretValueRequest.class)).isEmpty();
        assertThat(secretsManager.valueAt("AWSPENDING")).isEqualTo(secret("app", "Already-Chosen1"));
    }

    @Test
    void createSecret_asksForPasswordWithEnvironmentPolicy() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        environment.put("PASSWORD_LENGTH", "40");
        environment.put("EXCLUDE_PUNCTUATION", "yes");

        run("createSecret", token);

        GetRandomPasswordRequest request = secretsManager.passwordRequests.get(0);
        assertThat(request.passwordLength()).isEqualTo(40L);
        assertThat(request.excludePunctuation()).isTrue();
        assertThat(request.excludeCharacters()).isEqualTo("/@\"'\\");
    }

    @Test
    void createSecret_whenCurrentIsNotJson_failsWithoutChanges() {
        secretsManager.create("{\"engine\":\"mysql\", password: " + OLD_PASSWORD);
        String token = secretsManager.startRotation();

        assertThatThrownBy(() -> run("createSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessage("createSecret failed for secret " + ARN
                        + ": the AWSCURRENT secret value is unusable: secret value is not valid JSON");
        assertThat(secretsManager.calls(PutSecretValueRequest.class)).isEmpty();
    }

    @Test
    void createSecret_whenRequiredKeyMissing_namesTheKey() {
        for (String key : List.of("host", "username", "password")) {
            FakeSecretsManager manager = new FakeSecretsManager();
            String json = secret("app", OLD_PASSWORD).replace("\"" + key + "\"", "\"other_" + key + "\"");
            manager.create(json);
            String token = manager.startRotation();
            SingleUserRotationHandler handler = new SingleUserRotationHandler(manager, environment, database,
                    logLines::add);

            assertThatThrownBy(() -> handler.handleRequest(new SecretsManagerRotationEvent("createSecret", ARN, token,
                    null), null))
                    .isInstanceOf(RotationException.class)
                    .hasMessageEndingWith("the AWSCURRENT secret value is unusable: key '" + key + "' is missing")
                    .hasMessageNotContaining(OLD_PASSWORD);
            assertThat(manager.calls(PutSecretValueRequest.class)).isEmpty();
        }
    }

    @Test
    void createSecret_whenEngineNotHandled_fails() {
        secretsManager.create(secret("app", OLD_PASSWORD).replace("\"mysql\"", "\"oracle-ee\""));
        String token = secretsManager.startRotation();

        assertThatThrownBy(() -> run("createSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("key 'engine' names an engine this function does not handle")
                .hasMessageContaining("aurora-mysql, mariadb, mysql");
        assertThat(secretsManager.calls(PutSecretValueRequest.class)).isEmpty();
    }

    @Test
    void createSecret_whenPostgresSecretGivenToMySqlFunction_fails() {
        secretsManager.create(secret("app", OLD_PASSWORD).replace("\"mysql\"", "\"aurora-postgresql\""));
        String token = secretsManager.startRotation();

        assertThatThrownBy(() -> run("createSecret", token)).isInstanceOf(RotationException.class)
                .hasMessageContaining("does not handle");
    }

    @Test
    void anyStep_whenEnvironmentInvalid_failsNamingVariableWithoutChanges() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        environment.put("PASSWORD_LENGTH", "long");

        assertThatThrownBy(() -> run("createSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("environment variable PASSWORD_LENGTH must be a whole number from 1 to 4096");
        assertThat(secretsManager.calls).isEmpty();
    }

    @Test
    void setSecret_whenPendingAlreadyLogsIn_doesNothing() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        secretsManager.putVersion(token, secret("app", "Pending-Pw1"), "AWSPENDING");
        database.withUser("app", "Pending-Pw1");

        run("setSecret", token);

        assertThat(database.passwordChanges).isZero();
        assertThat(logLines).anyMatch(line -> line.contains("\"outcome\":\"skipped\"")
                && line.contains("the pending credentials already log in"));
    }

    @Test
    void setSecret_whenTheServerAcceptsAnyPassword_failsNamingTheCauseAndChangesNothing() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        secretsManager.putVersion(token, secret("app", "Pending-Pw1"), "AWSPENDING");
        database.withUser("app", OLD_PASSWORD).trusted.add("app");

        assertThatThrownBy(() -> run("setSecret", token)).isInstanceOf(RotationException.class)
                .hasMessageContaining("the server accepts any password for user 'app' (trust authentication?):"
                        + " rotation would change nothing");

        assertThat(database.passwordChanges).isZero();
        assertThat(database.attempts).as("the pending login, then one with a password nobody set")
                .extracting(FakeDatabase.Attempt::username).containsExactly("app", "app");
    }

    @Test
    void setSecret_whenCurrentRefused_logsInWithPrevious() {
        secretsManager.create(secret("app", "Current-Pw1"));
        secretsManager.putVersion("previous-version-00000000000000000000", secret("app", OLD_PASSWORD), "AWSPREVIOUS");
        String token = secretsManager.startRotation();
        secretsManager.putVersion(token, secret("app", "Pending-Pw1"), "AWSPENDING");

        run("setSecret", token);

        assertThat(database.accepts("app", "Pending-Pw1")).isTrue();
        assertThat(logLines).anyMatch(line -> line.contains("logged in with the AWSPREVIOUS password"));
        assertThat(database.openConnections).isZero();
    }

    @Test
    void setSecret_whenNothingLogsInAndNoPrevious_fails() {
        secretsManager.create(secret("app", "Wrong-Current1"));
        String token = secretsManager.startRotation();
        run("createSecret", token);

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("the database refuses user 'app' with the current password and the secret has"
                        + " no usable AWSPREVIOUS version");
        assertThat(database.accepts("app", OLD_PASSWORD)).isTrue();
        assertThat(database.passwordChanges).isZero();
    }

    @Test
    void setSecret_whenPreviousRefusedToo_fails() {
        secretsManager.create(secret("app", "Wrong-Current1"));
        secretsManager.putVersion("previous-version-00000000000000000000", secret("app", "Wrong-Prev1"), "AWSPREVIOUS");
        String token = secretsManager.startRotation();
        run("createSecret", token);

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("with the current password and with the previous one");
        assertThat(database.passwordChanges).isZero();
    }

    @Test
    void setSecret_whenPendingNamesAnotherUser_fails() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        secretsManager.putVersion(token, secret("other", "Pending-Pw1"), "AWSPENDING");

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("the pending secret names user 'other' but the current one names user 'app'");
        assertThat(database.passwordChanges).isZero();
    }

    @Test
    void setSecret_whenPendingNamesAnotherHost_fails() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        secretsManager.putVersion(token, secret("app", "Pending-Pw1").replace("db.example.com", "other.example.com"),
                "AWSPENDING");

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("names server other.example.com:3306 but the current one names db.example.com:3306");
        assertThat(database.passwordChanges).isZero();
    }

    @Test
    void setSecret_beforeCreateSecret_fails() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("has no value yet (createSecret has not run)");
    }

    @Test
    void setSecret_whenHostUnreachable_failsNamingHost() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        run("createSecret", token);
        database.reachable = false;

        assertThatThrownBy(() -> run("setSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("could not log in to db.example.com:3306 as user 'app' over TLS")
                .hasMessageContaining("Communications link failure");
        assertThat(database.passwordChanges).isZero();
    }

    @Test
    void testSecret_runsTrivialQueryAsPendingUser() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        run("createSecret", token);
        run("setSecret", token);
        database.queries.clear();

        run("testSecret", token);

        assertThat(database.queries).containsExactly("SELECT 1");
        assertThat(database.openConnections).isZero();
    }

    @Test
    void testSecret_whenPendingRefused_fails() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        run("createSecret", token);

        assertThatThrownBy(() -> run("testSecret", token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("testSecret failed")
                .hasMessageContaining("the database refuses the pending credentials of user 'app'");
    }

    @Test
    void finishSecret_movesCurrentWithRemoveFromVersionId() {
        String current = secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        run("createSecret", token);

        run("finishSecret", token);

        UpdateSecretVersionStageRequest update = secretsManager.calls(UpdateSecretVersionStageRequest.class).get(0);
        assertThat(update.versionStage()).isEqualTo("AWSCURRENT");
        assertThat(update.moveToVersionId()).isEqualTo(token);
        assertThat(update.removeFromVersionId()).isEqualTo(current);
        assertThat(secretsManager.versionAt("AWSPREVIOUS")).isEqualTo(current);
    }

    /** The log lines without the steps' metrics objects (RotationMetricsTest covers those). */
    private List<String> logOnly() {
        return logLines.stream().filter(line -> !line.startsWith("{\"_aws\":")).toList();
    }

    @Test
    void logLines_areOneJsonObjectEachWithTheRequiredFields() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = rotate();

        assertThat(logLines).as("a start and an end line and a metrics object per step").hasSize(12);
        assertThat(logOnly()).hasSize(8);
        assertThat(logLines).anyMatch(line -> line.contains("\"outcome\":\"succeeded\"")
                && line.contains("(the password was set with a fake statement)"));
        for (String line : logOnly()) {
            assertThat(line).doesNotContain("\n");
            var fields = Json.parseObject(line, "log line");
            assertThat(fields.keySet()).contains("level", "step", "secretArn", "token", "outcome");
            assertThat(fields.get("secretArn").asString()).isEqualTo(ARN);
            assertThat(fields.get("token").asString()).isEqualTo(token);
        }
        assertThat(logLines).filteredOn(line -> line.contains("\"outcome\":\"succeeded\""))
                .allMatch(line -> line.contains("\"durationMs\":"));
    }

    @Test
    void failure_isLoggedWithReasonAndDuration() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        secretsManager.secret().rotationEnabled = false;

        assertThatThrownBy(() -> run("createSecret", token)).isInstanceOf(RotationException.class);

        String last = logLines.get(logLines.size() - 1);
        var fields = Json.parseObject(last, "log line");
        assertThat(fields.get("level").asString()).isEqualTo("ERROR");
        assertThat(fields.get("outcome").asString()).isEqualTo("failed");
        assertThat(fields.get("reason").asString()).isEqualTo("rotation is not enabled on the secret");
        assertThat(fields.get("step").asString()).isEqualTo("createSecret");
        assertThat(fields).containsKey("durationMs");
    }

    @Test
    void logLevelWarn_suppressesInfoButKeepsFailures() {
        environment.put("LOG_LEVEL", "warn");
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        run("createSecret", token);
        secretsManager.secret().rotationEnabled = false;

        assertThatThrownBy(() -> run("setSecret", token)).isInstanceOf(RotationException.class);

        assertThat(logOnly()).hasSize(1).allMatch(line -> line.contains("\"outcome\":\"failed\""));
    }

    @Test
    void forgedStepName_cannotAddLogLines() {
        secretsManager.create(secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        String forged = "x\"}\n{\"level\":\"INFO\",\"outcome\":\"succeeded\"";

        assertThatThrownBy(() -> run(forged, token)).isInstanceOf(RotationException.class);

        assertThat(logLines).hasSize(3).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
        assertThat(logOnly()).hasSize(2).allSatisfy(line ->
                assertThat(Json.parseObject(line, "log line").get("step").asString()).isEqualTo(forged));
    }

    @Test
    void logLines_carryTheLambdaRequestId() {
        String current = secretsManager.create(secret("app", OLD_PASSWORD));
        com.amazonaws.services.lambda.runtime.Context context = (com.amazonaws.services.lambda.runtime.Context)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {com.amazonaws.services.lambda.runtime.Context.class},
                        (proxy, method, args) -> method.getName().equals("getAwsRequestId") ? "req-123" : null);

        handler().handleRequest(new SecretsManagerRotationEvent("finishSecret", ARN, current, null), context);

        assertThat(logLines).isNotEmpty().allMatch(line -> line.contains("\"requestId\":\"req-123\""));
    }
}
