package dev.rotation.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime end to end with small test functions (compiled into target/test-classes, used as the
 * CodeUri directory): a child JVM under the official runtime interface client, the Runtime API, warm reuse,
 * function errors and handlers that cannot be loaded.
 */
class LocalFunctionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEST_CLASSES = Path.of("target", "test-classes").toAbsolutePath();

    @TempDir
    Path dir;

    private final List<String> logs = new CopyOnWriteArrayList<>();
    private LocalFunctions functions;

    @BeforeEach
    void start() throws Exception {
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, """
                Parameters:
                  Stage:
                    Type: String
                    Default: test
                Conditions:
                  Never: !Equals [!Ref Stage, prod]
                Globals:
                  Function:
                    MemorySize: 256
                    Timeout: 30
                    CodeUri: %s
                    Environment:
                      Variables:
                        GLOBAL_VAR: !Sub 'stage-${Stage}'
                        DROPPED_VAR: !If [Never, x, !Ref AWS::NoValue]
                Resources:
                  Echo:
                    Type: AWS::Serverless::Function
                    Properties:
                      FunctionName: !Sub ${Stage}-echo
                      Handler: dev.rotation.local.lambda.fixtures.EchoHandler::handleRequest
                      Environment:
                        Variables:
                          OWN_VAR: own
                  Failing:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: dev.rotation.local.lambda.fixtures.FailingHandler
                  Missing:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: dev.rotation.local.lambda.fixtures.NoSuchHandler::handleRequest
                  Blocking:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: dev.rotation.local.lambda.fixtures.BlockingHandler::handleRequest
                      Timeout: 1
                  Exiting:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: dev.rotation.local.lambda.fixtures.ExitingHandler::handleRequest
                """.formatted(TEST_CLASSES));
        Path env = dir.resolve("env.json");
        Files.writeString(env, "{\"Parameters\": {\"PARAM_VAR\": \"p\"}, \"Echo\": {\"FROM_ENV_FILE\": \"yes\"}}");
        functions = LocalFunctions.builder(SamTemplate.read(template, "us-east-1", Map.of()))
                .envVars(EnvVarsFile.read(env)).logs((f, line) -> logs.add(f.functionName() + ": " + line)).build();
    }

    @AfterEach
    void stop() {
        functions.close();
    }

    private static byte[] event(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void invoke_twice_reusesOneWarmJvmAndReportsInitOnlyOnce() throws Exception {
        InvocationResult first = functions.invoke("test-echo", event("{\"n\": 1}"));
        InvocationResult second = functions.invoke("arn:aws:lambda:us-east-1:123456789012:function:test-echo",
                event("{\"n\": 2}"));

        assertThat(first.success()).as(first.payload()).isTrue();
        assertThat(second.success()).as(second.payload()).isTrue();
        JsonNode a = JSON.readTree(first.payload());
        JsonNode b = JSON.readTree(second.payload());
        assertThat(a.path("input").path("n").asInt()).isEqualTo(1);
        assertThat(b.path("input").path("n").asInt()).isEqualTo(2);
        assertThat(b.path("pid").asLong()).isEqualTo(a.path("pid").asLong());
        assertThat(a.path("pid").asLong()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(first.initDuration()).isPresent();
        assertThat(second.initDuration()).isEmpty();
        assertThat(first.requestId()).isNotEqualTo(second.requestId());
        assertThat(logs).contains("test-echo: echo handler log line");
    }

    @Test
    void invoke_givesTheFunctionLambdasContextAndEnvironment() throws Exception {
        InvocationResult result = functions.invoke("Echo", event("{}"));

        JsonNode body = JSON.readTree(result.payload());
        assertThat(body.path("functionName").asText()).isEqualTo("test-echo");
        assertThat(body.path("arn").asText()).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:test-echo");
        assertThat(body.path("memory").asInt()).isEqualTo(256);
        assertThat(body.path("remainingMs").asLong()).isBetween(1L, 30_000L);
        JsonNode env = body.path("env");
        assertThat(env.path("AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo("test-echo");
        assertThat(env.path("_HANDLER").asText()).isEqualTo("dev.rotation.local.lambda.fixtures.EchoHandler::handleRequest");
        assertThat(env.path("AWS_REGION").asText()).isEqualTo("us-east-1");
        assertThat(env.path("GLOBAL_VAR").asText()).isEqualTo("stage-test");
        assertThat(env.path("OWN_VAR").asText()).isEqualTo("own");
        assertThat(env.path("FROM_ENV_FILE").asText()).isEqualTo("yes");
        assertThat(env.path("PARAM_VAR").asText()).isEqualTo("p");
        assertThat(env.has("DROPPED_VAR")).isFalse();
        assertThat(env.path("LAMBDA_TASK_ROOT").asText()).isEqualTo(TEST_CLASSES.toString());
    }

    @Test
    void invoke_functionThatThrows_returnsItsErrorTypeAndMessageAndStaysWarm() throws Exception {
        InvocationResult failed = functions.invoke("Failing", event("{\"why\": \"test\"}"));
        InvocationResult again = functions.invoke("Failing", event("{\"why\": \"again\"}"));

        assertThat(failed.success()).isFalse();
        assertThat(failed.initError()).isFalse();
        assertThat(failed.errorType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(failed.errorMessage()).isEqualTo("refused on purpose: test");
        assertThat(JSON.readTree(failed.payload()).path("stackTrace").isArray()).isTrue();
        assertThat(again.errorMessage()).isEqualTo("refused on purpose: again");
        assertThat(again.initDuration()).isEmpty();
    }

    @Test
    void invoke_handlerThatDoesNotResolve_isAnInitError() {
        InvocationResult result = functions.invoke("Missing", event("{}"));

        assertThat(result.success()).isFalse();
        assertThat(result.initError()).isTrue();
        assertThat(result.errorType()).isEqualTo("java.lang.ClassNotFoundException");
        assertThat(result.errorMessage()).contains("dev.rotation.local.lambda.fixtures.NoSuchHandler");
    }

    @Test
    void invoke_pastTheFunctionsTimeout_failsAsTimedOutAndTheNextInvocationIsCold() {
        InvocationResult timedOut = functions.invoke("Blocking", event("{}"));
        InvocationResult next = functions.invoke("Blocking", event("{}"));

        assertThat(timedOut.success()).isFalse();
        assertThat(timedOut.errorType()).isEqualTo("Sandbox.Timedout");
        assertThat(timedOut.errorMessage()).isEqualTo("Task timed out after 1.00 seconds");
        assertThat(next.initDuration()).as("a timed-out environment is not reused").isPresent();
    }

    @Test
    void invoke_whenTheJvmDies_failsWithRuntimeExitErrorAndTheNextInvocationIsCold() {
        InvocationResult died = functions.invoke("Exiting", event("{}"));
        InvocationResult next = functions.invoke("Exiting", event("{}"));

        assertThat(died.success()).isFalse();
        assertThat(died.errorType()).isEqualTo("Runtime.ExitError");
        assertThat(died.errorMessage()).contains("exited with code 3");
        assertThat(next.initDuration()).isPresent();
    }
}
