package dev.rotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/**
 * The failure path end to end, on both engines, as a team rehearses its alerting: {@code serve} with the
 * template's functions (the deployment jars under the Lambda Java runtime), a real database, and
 * {@code --on-rotation-failure} writing each event to a file. A secret whose port no server listens on (as
 * after a database moved, or a security group changed) fails at setSecret on every retry, so the service
 * gives up: RotationFailed, and the command runs. The fix is a new AWSCURRENT value with the right port,
 * which abandons the failed rotation (RotationAbandoned, the command again); the next rotation then succeeds
 * with the staging labels where they belong. No audit, history, alert, metric or log line carries a
 * password.
 */
class RotationFailureIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    private static Process serve;
    private static Path serveLog;
    private static Path dataDir;
    private static Path alerts;
    private static final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private static SecretsManagerClient sm;

    @BeforeAll
    static void startServe() throws Exception {
        Processes.requireJars();
        serveLog = home.resolve("serve.log");
        dataDir = home.resolve("data");
        alerts = home.resolve("alerts.jsonl");
        serve = new ProcessBuilder(Processes.java(), "-jar", Processes.LOCAL_JAR.toString(), "serve", "--port", "0",
                "--template", Processes.TEMPLATE.toString(), "--data-dir", dataDir.toString(),
                "--on-rotation-failure", "{ cat; echo; } >> '" + alerts + "'")
                .directory(home.toFile()).redirectError(serveLog.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("serve's first line; log:\n%s", Files.exists(serveLog) ? Files.readString(serveLog) : "")
                .startsWith("Secrets Manager listening on http://127.0.0.1:");
        URI endpoint = URI.create(line.substring(line.indexOf("http://")));
        Thread drain = new Thread(() -> out.lines().forEach(stdout::add), "serve-stdout");
        drain.setDaemon(true);
        drain.start();
        sm = SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDE2E", "e2e")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stopServe() throws Exception {
        if (sm != null) {
            sm.close();
        }
        if (serve != null) {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
        }
    }

    @Test
    void mysql_failedRotation_alerts_thenRecoversAfterTheFix() throws Exception {
        failAlertFixRecover(TestDatabases.mysql(), "rds-rotation-mysql");
    }

    @Test
    void postgres_failedRotation_alerts_thenRecoversAfterTheFix() throws Exception {
        failAlertFixRecover(TestDatabases.postgres(), "rds-rotation-postgres");
    }

    private void failAlertFixRecover(TestDatabase db, String function) throws Exception {
        String database = db.createDatabase("fail");
        String user = "fail_" + UUID.randomUUID().toString().substring(0, 8);
        String password = "First-" + UUID.randomUUID();
        db.createAppUser(database, user, password);
        String name = "e2e-failure/" + function + "-" + user;
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // free once closed: nothing listens there
        }
        String unreachable = secret(db, database, user, password, closedPort);
        String fixed = secret(db, database, user, password, db.port());
        String arn = sm.createSecret(r -> r.name(name).secretString(unreachable)).arn();
        String lambdaArn = "arn:aws:lambda:us-east-1:123456789012:function:" + function;

        // 1. Every attempt fails at setSecret: the database cannot be reached.
        String failedVersion = sm.rotateSecret(r -> r.secretId(name).rotationLambdaARN(lambdaArn)).versionId();
        JsonNode failedAlert = awaitAlert(arn, "RotationFailed");
        assertThat(failedAlert.path("detail-type").asText()).isEqualTo("AWS Service Event via CloudTrail");
        assertThat(failedAlert.path("source").asText()).isEqualTo("aws.secretsmanager");
        assertThat(failedAlert.path("detail").path("additionalEventData").path("VersionId").asText())
                .isEqualTo(failedVersion);
        DescribeSecretResponse failed = sm.describeSecret(r -> r.secretId(name));
        assertThat(failed.versionIdsToStages().get(failedVersion)).containsExactly("AWSPENDING");

        // 2. The fix: the right port, as a new current value; that abandons the failed rotation.
        String fixedVersion = sm.putSecretValue(r -> r.secretId(name).secretString(fixed)).versionId();
        awaitAlert(arn, "RotationAbandoned");
        assertThat(sm.describeSecret(r -> r.secretId(name)).versionIdsToStages()).doesNotContainKey(failedVersion);

        // 3. The next rotation succeeds, and the labels are where they belong.
        String newVersion = sm.rotateSecret(r -> r.secretId(name)).versionId();
        awaitEvent(arn, "RotationSucceeded");
        Map<String, List<String>> stages = sm.describeSecret(r -> r.secretId(name)).versionIdsToStages();
        assertThat(stages.get(newVersion)).contains("AWSCURRENT");
        assertThat(stages.get(fixedVersion)).containsExactly("AWSPREVIOUS");
        assertThat(stages).doesNotContainKey(failedVersion);
        String newPassword = JSON.readTree(sm.getSecretValue(r -> r.secretId(name)).secretString())
                .path("password").asText();
        assertThat(db.canLogin(database, user, newPassword)).as("the new password logs in").isTrue();
        assertThat(db.canLogin(database, user, password)).as("the old password is refused").isFalse();

        // The audit trail: the failed attempts, RotationFailed, RotationAbandoned, then a clean rotation.
        List<String> sequence = new ArrayList<>();
        for (JsonNode e : auditEvents(arn)) {
            String event = e.path("eventName").asText();
            if (event.startsWith("Rotation")) {
                sequence.add(event);
            }
        }
        assertThat(sequence).containsExactly("RotationStarted", "RotationFailed", "RotationAbandoned",
                "RotationStarted", "RotationSucceeded");
        long failedSetSecrets = auditEvents(arn).stream().filter(e -> e.path("eventName").asText().equals("Invoke")
                && e.path("additionalEventData").path("Step").asText().equals("setSecret")
                && e.path("additionalEventData").has("FunctionError")).count();
        assertThat(failedSetSecrets).as("every retry failed at setSecret").isEqualTo(5);

        // serve's line per rotation, and history's.
        List<String> rotationLines = stdout.stream().filter(l -> l.startsWith("Rotation ") && l.contains(name)).toList();
        assertThat(rotationLines).anySatisfy(l -> assertThat(l).contains("failed after 5 attempts")
                .contains("function " + lambdaArn).contains("setSecret failed x5").contains("reason: "));
        assertThat(rotationLines).anySatisfy(l -> assertThat(l).contains("succeeded after 1 attempt")
                .contains("createSecret ok, setSecret ok, testSecret ok, finishSecret ok"));
        Processes.Result history = Processes.rotationLocal(home, 60, Map.of(), "history", "--secret-id", name,
                "--data-dir", dataDir.toString());
        assertThat(history.exit()).as(history.err()).isZero();
        assertThat(history.out().lines().toList()).hasSize(3).satisfies(lines -> {
            assertThat(lines.get(0)).contains(failedVersion).contains("failed after 5 attempts");
            assertThat(lines.get(1)).contains(failedVersion).contains("abandoned");
            assertThat(lines.get(2)).contains(newVersion).contains("succeeded after 1 attempt");
        });

        // No password anywhere: audit trail, alerts, history, serve's output (the functions' logs and metrics).
        String everything = Files.readString(dataDir.resolve("audit.log")) + Files.readString(alerts)
                + history.out() + history.err() + String.join("\n", stdout) + Files.readString(serveLog);
        assertThat(Files.readString(serveLog)).as("the functions' EMF metrics reach serve's log")
                .contains("\"_aws\"");
        assertThat(everything).doesNotContain(password).doesNotContain(newPassword);
    }

    private static String secret(TestDatabase db, String database, String user, String password, int port)
            throws java.io.IOException {
        return JSON.writeValueAsString(Map.of("engine", db.engine(), "host", db.host(), "port", port,
                "username", user, "password", password, "dbname", database, "ssl", false));
    }

    private static List<JsonNode> auditEvents(String arn) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(dataDir.resolve("audit.log"))) {
            JsonNode e = JSON.readTree(line);
            if (e.toString().contains(arn)) {
                events.add(e);
            }
        }
        return events;
    }

    /** Waits for the alert command to have written the event (the file is written by the child shell). */
    private static JsonNode awaitAlert(String arn, String eventName) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && serve.isAlive()) {
            if (Files.exists(alerts)) {
                for (String line : Files.readAllLines(alerts)) {
                    if (!line.isBlank()) {
                        JsonNode e = JSON.readTree(line);
                        if (e.path("detail").path("eventName").asText().equals(eventName)
                                && e.path("detail").path("additionalEventData").path("SecretId").asText().equals(arn)) {
                            return e;
                        }
                    }
                }
            }
            // DescribeSecret paces the loop (and shows the rotation's progress in a failure message).
            sm.describeSecret(r -> r.secretId(arn));
        }
        throw new AssertionError("no " + eventName + " alert for " + arn + "; serve log:\n" + tail());
    }

    private static void awaitEvent(String arn, String eventName) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && serve.isAlive()) {
            if (auditEvents(arn).stream().anyMatch(e -> e.path("eventName").asText().equals(eventName))) {
                return;
            }
            sm.describeSecret(r -> r.secretId(arn));
        }
        throw new AssertionError("no " + eventName + " event for " + arn + "; serve log:\n" + tail());
    }

    private static String tail() throws Exception {
        String log = Files.readString(serveLog);
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }
}
