package dev.rotation.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.local.secretsmanager.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * RotateSecret and scheduled rotations wired to the runtime: each step reaches the function in its child
 * JVM as the event Secrets Manager sends, one warm JVM serves both rotations, and an ARN naming no function
 * of the template fails the rotation as Lambda's ResourceNotFoundException would.
 */
class LambdaRotationInvokerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ECHO_ARN = "arn:aws:lambda:us-east-1:123456789012:function:echo-fn";

    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-03-02T10:15:00Z");
    private final List<InvocationResult> results = new CopyOnWriteArrayList<>();
    private final List<RotationStep> steps = new CopyOnWriteArrayList<>();
    private LocalFunctions functions;
    private LocalSecretsManager server;
    private SecretsManagerClient client;

    @BeforeEach
    void start() throws Exception {
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, """
                Resources:
                  EchoFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      FunctionName: echo-fn
                      CodeUri: %s
                      Handler: dev.rotation.local.lambda.fixtures.EchoHandler::handleRequest
                      Timeout: 30
                """.formatted(Path.of("target", "test-classes").toAbsolutePath()));
        functions = LocalFunctions.builder(SamTemplate.read(template, "us-east-1", Map.of()))
                .logs((f, line) -> { }).build();
        LambdaRotationInvoker invoker = new LambdaRotationInvoker(functions, new LambdaRotationInvoker.Listener() {
            @Override
            public void started(FunctionDefinition function, RotationStep step) {
                steps.add(step);
            }

            @Override
            public void finished(FunctionDefinition function, RotationStep step, InvocationResult result) {
                results.add(result);
            }
        });
        server = LocalSecretsManager.builder().port(0).clock(clock).schedulerInterval(Duration.ZERO)
                .maxRotationAttempts(1).rotationInvoker(invoker).build().start();
        client = SecretsManagerClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        functions.close();
    }

    @Test
    void rotateSecret_andTheScheduledRotation_runTheFourStepsInOneWarmFunctionJvm() throws Exception {
        String arn = client.createSecret(r -> r.name("wired/secret").secretString("{\"password\":\"x\"}")).arn();
        String token = client.rotateSecret(r -> r.secretId("wired/secret").rotationLambdaARN(ECHO_ARN)
                .rotationRules(rules -> rules.automaticallyAfterDays(1L))).versionId();
        assertThat(server.awaitRotations(Duration.ofSeconds(60))).isTrue();

        assertThat(results).hasSize(4).allMatch(InvocationResult::success);
        for (int i = 0; i < 4; i++) {
            JsonNode input = JSON.readTree(results.get(i).payload()).path("input");
            assertThat(input.path("Step").asText()).isEqualTo(List.of("createSecret", "setSecret", "testSecret",
                    "finishSecret").get(i));
            assertThat(input.path("SecretId").asText()).isEqualTo(arn);
            assertThat(input.path("ClientRequestToken").asText()).isEqualTo(token);
            assertThat(input.path("RotationToken").asText()).isEqualTo(steps.get(i).rotationToken()).isNotBlank();
        }
        assertThat(results.get(0).initDuration()).isPresent();
        long pid = JSON.readTree(results.get(0).payload()).path("pid").asLong();

        // The echo function changes nothing, so the test detaches AWSPENDING as an operator would.
        client.updateSecretVersionStage(r -> r.secretId("wired/secret").versionStage("AWSPENDING")
                .removeFromVersionId(token));
        clock.advance(Duration.ofDays(2));
        assertThat(server.runDueRotations()).isEqualTo(1);
        assertThat(server.awaitRotations(Duration.ofSeconds(60))).isTrue();

        assertThat(results).hasSize(8).allMatch(InvocationResult::success);
        assertThat(results.subList(1, 8)).allMatch(r -> r.initDuration().isEmpty());
        assertThat(results.subList(4, 8)).allSatisfy(r ->
                assertThat(JSON.readTree(r.payload()).path("pid").asLong()).isEqualTo(pid));
        assertThat(JSON.readTree(results.get(4).payload()).path("input").path("ClientRequestToken").asText())
                .isNotEqualTo(token);
    }

    @Test
    void rotateSecret_withAnArnOfNoFunction_failsTheRotationNamingTheFunctions() {
        client.createSecret(r -> r.name("wired/unknown").secretString("{}"));
        client.rotateSecret(r -> r.secretId("wired/unknown")
                .rotationLambdaARN("arn:aws:lambda:us-east-1:123456789012:function:nope"));
        assertThat(server.awaitRotations(Duration.ofSeconds(30))).isTrue();

        RotationOutcome outcome = server.rotationOutcome("wired/unknown").orElseThrow();
        assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
        assertThat(outcome.reason()).contains("Function not found").contains("EchoFunction (echo-fn)");
        assertThat(results).isEmpty();
    }
}
