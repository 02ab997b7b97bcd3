package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The audit trail: every call and every event of the service's own as CloudTrail records them, one JSON
 * object per line under the data directory, and never a secret value.
 */
class AuditTrailIT {
    private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:audit-rotation";
    private static final String OLD = "{\"username\":\"app\",\"password\":\"audit-old-password-4711\"}";
    private static final String NEW = "{\"username\":\"app\",\"password\":\"audit-new-password-0815\"}";
    private static final String PUT = "audit-put-value-2222";
    private static final byte[] BINARY = "audit-binary-value-3333".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void fullRotation_recordsTheCallsAndTheServiceEventsInOrderWithoutAnyValue() throws Exception {
        List<AuditEvent> heard = new CopyOnWriteArrayList<>();
        SecretsManagerClient[] fn = new SecretsManagerClient[1];
        InProcessInvoker functions = new InProcessInvoker().register(FN, step -> {
            switch (step.step()) {
                case RotationStep.CREATE_SECRET -> fn[0].putSecretValue(r -> r.secretId(step.secretId())
                        .clientRequestToken(step.clientRequestToken()).secretString(NEW).versionStages("AWSPENDING"));
                case RotationStep.TEST_SECRET -> fn[0].getSecretValue(r -> r.secretId(step.secretId())
                        .versionStage("AWSPENDING"));
                case RotationStep.FINISH_SECRET -> {
                    String current = fn[0].describeSecret(r -> r.secretId(step.secretId())).versionIdsToStages()
                            .entrySet().stream().filter(e -> e.getValue().contains("AWSCURRENT")).findFirst()
                            .orElseThrow().getKey();
                    fn[0].updateSecretVersionStage(r -> r.secretId(step.secretId()).versionStage("AWSCURRENT")
                            .moveToVersionId(step.clientRequestToken()).removeFromVersionId(current));
                }
                default -> { }
            }
        });
        String arn = null;
        try (LocalSecretsManager server = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO)
                .dataDir(dir).rotationInvoker(functions).auditListener(heard::add).build().start();
             SecretsManagerClient sm = Sdk.client(server.endpoint())) {
            fn[0] = sm;
            assertThat(server.auditLog()).contains(dir.resolve("audit.log"));
            arn = sm.createSecret(r -> r.name("audited").secretString(OLD)).arn();
            sm.getSecretValue(r -> r.secretId("audited"));
            sm.rotateSecret(r -> r.secretId("audited").rotationLambdaARN(FN));
            assertThat(server.awaitRotations(Duration.ofSeconds(30))).isTrue();
            sm.putSecretValue(r -> r.secretId("audited").secretString(PUT));
            sm.createSecret(r -> r.name("binary").secretBinary(SdkBytes.fromByteArray(BINARY)));
            sm.getRandomPassword(r -> { });
            sm.batchGetSecretValue(r -> r.secretIdList("audited", "binary"));
            sm.getSecretValue(r -> r.secretId("missing"));
        } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException expected) {
            // the last call fails on purpose: errors are recorded too
        }

        Path log = dir.resolve("audit.log");
        assertThat(Files.getPosixFilePermissions(log)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<AuditEvent> events = AuditTrail.read(log);
        assertThat(events).isEqualTo(heard);

        // The rotation, in order, among the function's own calls. An invocation is recorded once it returns
        // (its eventTime is when it started), so the calls a step makes come before the step's own record.
        List<String> sequence = new ArrayList<>();
        for (AuditEvent e : events) {
            sequence.add(e.eventSource().startsWith("lambda") ? "Invoke:" + e.json().path("additionalEventData")
                    .path("Step").asText() : e.eventName());
        }
        assertThat(sequence).containsSubsequence("CreateSecret", "GetSecretValue", "RotateSecret", "RotationStarted",
                "PutSecretValue", "Invoke:createSecret", "Invoke:setSecret", "GetSecretValue", "Invoke:testSecret",
                "DescribeSecret", "UpdateSecretVersionStage", "Invoke:finishSecret", "RotationSucceeded");

        AuditEvent started = events.stream().filter(e -> e.eventName().equals("RotationStarted")).findFirst()
                .orElseThrow();
        // As CloudTrail shows it: "eventType": "AwsServiceEvent", invoked by the service, the secret in
        // additionalEventData.SecretId, no request or response.
        assertThat(started.eventType()).isEqualTo("AwsServiceEvent");
        assertThat(started.invokedBy()).contains("secretsmanager.amazonaws.com");
        assertThat(started.secretId()).contains(arn);
        assertThat(started.json().get("requestParameters").isNull()).isTrue();
        assertThat(started.requestId()).startsWith("Rotation-" + arn + "-");

        AuditEvent invoke = events.stream().filter(e -> e.eventName().equals("Invoke")).findFirst().orElseThrow();
        assertThat(invoke.eventSource()).isEqualTo("lambda.amazonaws.com");
        assertThat(invoke.json().path("requestParameters").path("functionName").asText()).isEqualTo(FN);
        assertThat(invoke.invokedBy()).contains("secretsmanager.amazonaws.com");

        AuditEvent created = events.get(0);
        assertThat(created.eventName()).isEqualTo("CreateSecret");
        assertThat(created.eventType()).isEqualTo("AwsApiCall");
        assertThat(created.eventSource()).isEqualTo("secretsmanager.amazonaws.com");
        assertThat(created.json().path("requestParameters").path("name").asText()).isEqualTo("audited");
        assertThat(created.json().path("requestParameters").has("secretString")).isFalse();
        assertThat(created.json().path("sourceIPAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(created.accessKeyId()).contains("AKIDLOCAL");
        assertThat(created.json().path("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

        // "Secrets Manager generates CloudTrail GetSecretValue log entries for each secret you request"
        assertThat(sequence).containsSubsequence("BatchGetSecretValue");
        assertThat(events).filteredOn(e -> e.eventName().equals("GetSecretValue")).hasSizeGreaterThanOrEqualTo(4);
        AuditEvent failed = events.get(events.size() - 1);
        assertThat(failed.errorCode()).contains("ResourceNotFoundException");
        assertThat(failed.secretId()).contains("missing");
        // Reads have no response elements.
        assertThat(events).filteredOn(e -> Set.of("GetSecretValue", "GetRandomPassword", "BatchGetSecretValue")
                .contains(e.eventName())).allSatisfy(e -> assertThat(e.json().get("responseElements").isNull())
                .isTrue());

        // Not one line holds a secret value, a generated password or a binary value in any encoding.
        List<String> lines = Files.readAllLines(log);
        for (String line : lines) {
            for (String value : List.of("audit-old-password-4711", "audit-new-password-0815", PUT,
                    "audit-binary-value-3333", java.util.Base64.getEncoder().encodeToString(BINARY))) {
                assertThat(line).doesNotContain(value);
            }
            JsonNode o = AuditEvent.JSON.readTree(line);
            assertThat(o.findValues("secretString")).isEmpty();
            assertThat(o.findValues("secretBinary")).isEmpty();
            assertThat(o.findValues("randomPassword")).isEmpty();
        }
        assertThat(lines).hasSameSizeAs(events);
    }
}
