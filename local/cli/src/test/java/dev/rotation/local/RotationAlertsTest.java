package dev.rotation.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.rotation.local.secretsmanager.AuditEvent;
import dev.rotation.local.secretsmanager.RotationOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve's rotation lines and failure forwarding, fed audit events as the server records them: a rotation
 * that fails every retry, then one that succeeds.
 */
class RotationAlertsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf";
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:rds-rotation-mysql";

    private static AuditEvent service(String name, String version, String at) {
        return AuditEvent.parse("{\"eventVersion\":\"1.08\",\"eventTime\":\"" + at + "\",\"eventSource\":"
                + "\"secretsmanager.amazonaws.com\",\"eventName\":\"" + name + "\",\"awsRegion\":\"us-east-1\","
                + "\"userIdentity\":{\"accountId\":\"123456789012\",\"invokedBy\":\"secretsmanager.amazonaws.com\"},"
                + "\"additionalEventData\":{\"SecretId\":\"" + ARN + "\",\"VersionId\":\"" + version + "\"},"
                + "\"eventType\":\"AwsServiceEvent\",\"recipientAccountId\":\"123456789012\"}");
    }

    private static AuditEvent invoke(String step, String version, boolean failed, String at) {
        return AuditEvent.parse("{\"eventVersion\":\"1.08\",\"eventTime\":\"" + at + "\",\"eventSource\":"
                + "\"lambda.amazonaws.com\",\"eventName\":\"Invoke\",\"awsRegion\":\"us-east-1\","
                + "\"userIdentity\":{\"type\":\"AWSService\",\"invokedBy\":\"secretsmanager.amazonaws.com\"},"
                + "\"requestParameters\":{\"functionName\":\"" + FUNCTION + "\"},"
                + "\"additionalEventData\":{\"SecretId\":\"" + ARN + "\",\"Step\":\"" + step
                + "\",\"ClientRequestToken\":\"" + version + "\"" + (failed ? ",\"FunctionError\":\"Unhandled\"" : "")
                + "},\"eventType\":\"AwsApiCall\"}");
    }

    private static List<AuditEvent> failedThenSucceeded() {
        return List.of(
                service("RotationStarted", "v1", "2026-01-01T03:00:00Z"),
                invoke("createSecret", "v1", false, "2026-01-01T03:00:01Z"),
                invoke("setSecret", "v1", true, "2026-01-01T03:00:02Z"),
                invoke("createSecret", "v1", false, "2026-01-01T03:00:03Z"),
                invoke("setSecret", "v1", true, "2026-01-01T03:00:04Z"),
                service("RotationFailed", "v1", "2026-01-01T03:00:05Z"),
                service("RotationStarted", "v2", "2026-01-01T04:00:00Z"),
                invoke("createSecret", "v2", false, "2026-01-01T04:00:00Z"),
                invoke("setSecret", "v2", false, "2026-01-01T04:00:01Z"),
                invoke("testSecret", "v2", false, "2026-01-01T04:00:01Z"),
                invoke("finishSecret", "v2", false, "2026-01-01T04:00:02Z"),
                service("RotationSucceeded", "v2", "2026-01-01T04:00:02.500Z"));
    }

    @Test
    void history_tellsEachRotationsSteps_outcome_andDuration() {
        RotationHistory history = new RotationHistory();
        List<RotationHistory.Rotation> ended = failedThenSucceeded().stream()
                .map(history::accept).flatMap(Optional::stream).toList();
        assertThat(ended).hasSize(2);
        assertThat(ended.get(0).line()).isEqualTo("2026-01-01T03:00:00Z  " + ARN + "  version v1  failed after 2 "
                + "attempts in 5.0 s  function " + FUNCTION + "  steps createSecret ok x2, setSecret failed x2");
        assertThat(ended.get(0).reason()).contains("step setSecret failed (FunctionError)");
        assertThat(ended.get(1).line()).endsWith("version v2  succeeded after 1 attempt in 2.5 s  function " + FUNCTION
                + "  steps createSecret ok, setSecret ok, testSecret ok, finishSecret ok");
        assertThat(ended.get(1).reason()).isEmpty();
        assertThat(history.unfinished()).isEmpty();
    }

    @Test
    void failures_reachTheCommand_andTheWebhook_asEventBridgeDeliversThem(@TempDir Path dir) throws Exception {
        List<String> posted = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/alert", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.start();
        Path alerts = dir.resolve("alerts.txt");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            RotationAlerts a = new RotationAlerts("{ printf '%s ' \"$ROTATION_EVENT_NAME\"; cat; echo; } >> '" + alerts
                    + "'", URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/alert"),
                    new PrintWriter(out, true), new PrintWriter(err, true),
                    arn -> Optional.of(new RotationOutcome("v1", RotationOutcome.FAILED, "setSecret", 2,
                            "Communications link failure", Instant.EPOCH)));
            failedThenSucceeded().forEach(a::onEvent);
            a.close(); // waits for what was handed over
        } finally {
            hook.stop(0);
        }
        List<String> lines = Files.readAllLines(alerts);
        assertThat(lines).singleElement().satisfies(l -> assertThat(l).startsWith("RotationFailed {"));
        JsonNode event = JSON.readTree(lines.get(0).substring("RotationFailed ".length()));
        assertThat(event.path("detail-type").asText()).isEqualTo("AWS Service Event via CloudTrail");
        assertThat(event.path("source").asText()).isEqualTo("aws.secretsmanager");
        assertThat(event.path("detail").path("eventName").asText()).isEqualTo("RotationFailed");
        assertThat(event.path("detail").path("additionalEventData").path("SecretId").asText()).isEqualTo(ARN);
        assertThat(posted).singleElement().satisfies(p -> assertThat(JSON.readTree(p).path("detail")
                .path("eventName").asText()).isEqualTo("RotationFailed"));
        assertThat(out.toString().lines().toList()).hasSize(2).satisfies(l -> {
            assertThat(l.get(0)).startsWith("Rotation 2026-01-01T03:00:00Z").contains("failed after 2 attempts")
                    .endsWith("reason: Communications link failure");
            assertThat(l.get(1)).contains("succeeded after 1 attempt").doesNotContain("reason");
        });
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void webhookUrl_isChecked() {
        assertThat(RotationAlerts.checkWebhook("https://hooks.example.com/T0/B0")).isNull();
        assertThat(RotationAlerts.checkWebhook("ftp://example.com/x")).contains("http:// or https://");
        assertThat(RotationAlerts.checkWebhook("https://user:pass@example.com/x")).contains("must not carry credentials")
                .doesNotContain("pass@");
        assertThat(RotationAlerts.checkWebhook("not a url")).contains("is not a URL");
    }
}
