package dev.rotation.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.secretsmanager.InProcessInvoker;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationStep;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** {@code history} over an audit trail a real server wrote, and the usage errors of history and serve's alerts. */
class HistoryCommandTest {
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:flaky";

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static SecretsManagerClient client(URI endpoint) {
        return SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void history_showsEachRotation_failedThenSucceeded_withoutTheValue() throws Exception {
        Path log = dir.resolve("audit.log");
        boolean[] broken = {true};
        InProcessInvoker functions = new InProcessInvoker().register(FUNCTION, step -> {
            if (broken[0] && step.step().equals(RotationStep.SET_SECRET)) {
                throw new IllegalStateException("the database refused the login");
            }
        });
        try (LocalSecretsManager server = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO)
                .maxRotationAttempts(3).rotationInvoker(functions).auditLog(log).build().start();
             SecretsManagerClient sm = client(server.endpoint())) {
            sm.createSecret(r -> r.name("app/db").secretString("{\"password\":\"history-secret-value\"}"));
            String failed = sm.rotateSecret(r -> r.secretId("app/db").rotationLambdaARN(FUNCTION)).versionId();
            assertThat(server.awaitRotations(Duration.ofSeconds(30))).isTrue();
            broken[0] = false;
            sm.rotateSecret(r -> r.secretId("app/db").clientRequestToken(failed));
            assertThat(server.awaitRotations(Duration.ofSeconds(30))).isTrue();
        }

        Run r = run("history", "--secret-id", "app/db", "--audit-log", log.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains(":secret:app/db-").contains("failed after 3 attempts")
                .contains("function " + FUNCTION).contains("steps createSecret ok x3, setSecret failed x3")
                .endsWith("reason: step setSecret failed (FunctionError)");
        assertThat(lines.get(1)).contains("succeeded after 1 attempt")
                .contains("steps createSecret ok, setSecret ok, testSecret ok, finishSecret ok");
        assertThat(r.out() + Files.readString(log)).doesNotContain("history-secret-value");

        assertThat(run("history", "--secret-id", "other", "--audit-log", log.toString()).out())
                .startsWith("No rotation of other in ");
    }

    @Test
    void usageErrors_areOneLineWithStatusTwo() {
        Run noLog = run("history", "--secret-id", "x");
        assertThat(noLog.exit()).isEqualTo(2);
        assertThat(noLog.err().lines().toList()).singleElement().asString()
                .isEqualTo("history: name the log with --data-dir DIR or --audit-log FILE (one of them)");
        Run noSecret = run("history", "--audit-log", "x.log");
        assertThat(noSecret.exit()).isEqualTo(2);
        assertThat(noSecret.err()).contains("--secret-id");
        Run missing = run("history", "--secret-id", "x", "--audit-log", dir.resolve("none.log").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("No such file or directory");

        Run webhook = run("serve", "--no-template", "--port", "0", "--on-rotation-failure-webhook",
                "https://user:pw@hooks.example.com/x");
        assertThat(webhook.exit()).isEqualTo(2);
        assertThat(webhook.err().lines().toList()).singleElement().asString()
                .startsWith("serve: --on-rotation-failure-webhook must not carry credentials").doesNotContain("pw@");
    }
}
