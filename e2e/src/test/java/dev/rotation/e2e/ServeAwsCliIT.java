package dev.rotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --template template.yaml} as a user runs it, driven by the AWS CLI v2: RotateSecret with a
 * function ARN runs the deployment jar under the Lambda Java runtime against a real database.
 */
class ServeAwsCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    private static Process serve;
    private static Path serveLog;
    private static String endpoint;

    @BeforeAll
    static void startServe() throws Exception {
        Processes.requireJars();
        serveLog = home.resolve("serve.log");
        serve = new ProcessBuilder(Processes.java(), "-jar", Processes.LOCAL_JAR.toString(), "serve", "--port", "0",
                "--template", Processes.TEMPLATE.toString(), "--idle-timeout", "120")
                .directory(home.toFile()).redirectError(serveLog.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("serve's first line; log:\n%s", Files.exists(serveLog) ? Files.readString(serveLog) : "")
                .startsWith("Secrets Manager listening on http://127.0.0.1:");
        endpoint = line.substring(line.indexOf("http://"));
        // Keep reading stdout so the server never blocks on a full pipe.
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "serve-stdout");
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stopServe() throws Exception {
        if (serve != null) {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
        }
    }

    private static JsonNode ok(String... args) throws Exception {
        Processes.Result r = Processes.aws(endpoint, home, args);
        assertThat(r.exit()).as("aws %s failed: %s", String.join(" ", args), r.err()).isZero();
        return r.out().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.out());
    }

    @Test
    void rotateSecret_withTheMySqlFunctionsArn_rotatesTheDatabasePassword() throws Exception {
        rotateAndCheck(TestDatabases.mysql(), "rds-rotation-mysql");
    }

    @Test
    void rotateSecret_withThePostgresFunctionsArn_rotatesTheDatabasePassword() throws Exception {
        rotateAndCheck(TestDatabases.postgres(), "rds-rotation-postgres");
    }

    private void rotateAndCheck(TestDatabase db, String functionName) throws Exception {
        String database = db.createDatabase("cli");
        String user = "cli_" + UUID.randomUUID().toString().substring(0, 8);
        String firstPassword = "First-" + UUID.randomUUID();
        db.createAppUser(database, user, firstPassword);
        String name = "cli/" + functionName + "-" + user;
        String secret = JSON.writeValueAsString(Map.of("engine", db.engine(), "host", db.host(), "port", db.port(),
                "username", user, "password", firstPassword, "dbname", database, "ssl", false));
        String firstVersion = ok("create-secret", "--name", name, "--secret-string", secret).path("VersionId").asText();

        JsonNode rotation = ok("rotate-secret", "--secret-id", name, "--rotation-lambda-arn",
                "arn:aws:lambda:us-east-1:123456789012:function:" + functionName,
                "--rotation-rules", "AutomaticallyAfterDays=30");
        String newVersion = rotation.path("VersionId").asText();
        assertThat(newVersion).isNotEqualTo(firstVersion);

        JsonNode stages = awaitCurrent(name, newVersion);
        assertThat(stages.path(firstVersion).toString()).isEqualTo("[\"AWSPREVIOUS\"]");
        assertThat(stages.path(newVersion).toString()).contains("AWSCURRENT");
        JsonNode current = ok("get-secret-value", "--secret-id", name);
        assertThat(current.path("VersionId").asText()).isEqualTo(newVersion);
        JsonNode value = JSON.readTree(current.path("SecretString").asText());
        String newPassword = value.path("password").asText();
        assertThat(newPassword).isNotEqualTo(firstPassword).hasSize(32);
        assertThat(value.path("username").asText()).isEqualTo(user);
        assertThat(db.canLogin(database, user, newPassword)).as("the new password logs in").isTrue();
        assertThat(db.canLogin(database, user, firstPassword)).as("the old password is refused").isFalse();
        JsonNode described = ok("describe-secret", "--secret-id", name);
        assertThat(described.path("RotationEnabled").asBoolean()).isTrue();
        assertThat(described.path("RotationLambdaARN").asText()).endsWith(":function:" + functionName);
        assertThat(described.has("LastRotatedDate")).isTrue();
        assertThat(Files.readString(serveLog)).doesNotContain(firstPassword).doesNotContain(newPassword);
    }

    /**
     * Polls describe-secret until AWSCURRENT is on the rotation's version, or fails after two minutes with
     * the server's log. Each CLI call takes long enough to pace the loop; no sleep is needed.
     */
    private JsonNode awaitCurrent(String name, String version) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            JsonNode stages = ok("describe-secret", "--secret-id", name).path("VersionIdsToStages");
            if (stages.path(version).toString().contains("AWSCURRENT")) {
                return stages;
            }
            if (!serve.isAlive()) {
                break;
            }
        }
        throw new AssertionError("the rotation of " + name + " did not finish within 2 minutes; serve log:\n"
                + tail(Files.readString(serveLog)));
    }

    private static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }
}
