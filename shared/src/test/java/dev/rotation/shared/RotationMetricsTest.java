package dev.rotation.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** The Embedded Metric Format objects the handlers write at each step's end, checked against the specification. */
class RotationMetricsTest {
    private static final String ARN = FakeSecretsManager.ARN;
    private static final String OLD_PASSWORD = "Old-Passw0rd!";
    private static final String FUNCTION = "rds-rotation-mysql";
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    private final FakeSecretsManager secretsManager = new FakeSecretsManager();
    private final FakeDatabase database = FakeDatabase.mysql().withUser("app", OLD_PASSWORD);
    private final List<String> lines = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>(Map.of("AWS_LAMBDA_FUNCTION_NAME", FUNCTION));

    private void run(String step, String token) {
        new SingleUserRotationHandler(secretsManager, environment, database, lines::add)
                .handleRequest(new SecretsManagerRotationEvent(step, ARN, token, null), null);
    }

    private String rotate() {
        String token = secretsManager.startRotation();
        STEPS.forEach(step -> run(step, token));
        return token;
    }

    private List<String> metricLines() {
        return lines.stream().filter(line -> line.contains("\"_aws\"")).toList();
    }

    /** The metric objects, each checked against the specification first. */
    private List<Map<String, JsonNode>> metrics() {
        List<Map<String, JsonNode>> objects = new ArrayList<>();
        for (String line : metricLines()) {
            assertThat(EmbeddedMetricFormat.problems(line)).as("EMF problems of %s", line).isEmpty();
            objects.add(Json.parseObject(line, "metrics"));
        }
        return objects;
    }

    private static long number(Map<String, JsonNode> object, String member) {
        return Long.parseLong(object.get(member).asNumber());
    }

    private static String string(Map<String, JsonNode> object, String member) {
        return object.get(member).asString();
    }

    private static Map<String, JsonNode> directive(Map<String, JsonNode> object) {
        List<JsonNode> directives = object.get("_aws").asObject().get("CloudWatchMetrics").asArray();
        assertThat(directives).hasSize(1);
        return directives.get(0).asObject();
    }

    private static List<List<String>> dimensionSets(Map<String, JsonNode> object) {
        return directive(object).get("Dimensions").asArray().stream()
                .map(set -> set.asArray().stream().map(JsonNode::asString).toList()).toList();
    }

    private static void assertOutcome(Map<String, JsonNode> object, String step, int succeeded, int skipped, int failed) {
        assertThat(string(object, "function")).isEqualTo(FUNCTION);
        assertThat(string(object, "step")).isEqualTo(step);
        assertThat(number(object, "Succeeded")).as("Succeeded").isEqualTo(succeeded);
        assertThat(number(object, "Skipped")).as("Skipped").isEqualTo(skipped);
        assertThat(number(object, "Failed")).as("Failed").isEqualTo(failed);
        assertThat(number(object, "Duration")).isNotNegative();
    }

    @Test
    void rotation_whenEveryStepSucceeds_oneValidObjectPerStepWithSucceeded() {
        secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));

        rotate();

        List<Map<String, JsonNode>> metrics = metrics();
        assertThat(metrics).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertOutcome(metrics.get(i), STEPS.get(i), 1, 0, 0);
            assertThat(string(directive(metrics.get(i)), "Namespace")).isEqualTo("SecretsManagerRotation");
            assertThat(dimensionSets(metrics.get(i))).containsExactly(List.of("function", "step"), List.of("function"));
        }
        assertThat(directive(metrics.get(0)).get("Metrics").asArray()).extracting(d -> d.asObject().get("Name")
                .asString() + "/" + d.asObject().get("Unit").asString())
                .containsExactly("Duration/Milliseconds", "Succeeded/Count", "Skipped/Count", "Failed/Count");
    }

    @Test
    void step_whenThereIsNothingToDo_objectWithSkipped() {
        String current = secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));

        run("finishSecret", current);

        assertThat(metrics()).singleElement().satisfies(object -> assertOutcome(object, "finishSecret", 0, 1, 0));
    }

    @Test
    void step_whenItFails_objectWithFailedBeforeTheFailedLine() {
        secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        secretsManager.secret().rotationEnabled = false;

        assertThatThrownBy(() -> run("createSecret", token)).isInstanceOf(RotationException.class);

        assertThat(metrics()).singleElement().satisfies(object -> assertOutcome(object, "createSecret", 0, 0, 1));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("{\"_aws\":");
        assertThat(lines.get(2)).contains("\"outcome\":\"failed\"");
    }

    @Test
    void step_whenTheDatabaseRefusesThePendingPassword_failureInTestSecret() {
        secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        run("createSecret", token);

        assertThatThrownBy(() -> run("testSecret", token)).isInstanceOf(RotationException.class);

        assertThat(metrics()).hasSize(2);
        assertOutcome(metrics().get(1), "testSecret", 0, 0, 1);
    }

    @Test
    void step_whenTheEventNamesNoKnownStep_stepDimensionIsInvalid() {
        secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();
        String forged = "x\"}\n{\"_aws\":{}}\u00e9";

        assertThatThrownBy(() -> run(forged, token)).isInstanceOf(RotationException.class);

        assertThat(metrics()).singleElement().satisfies(object -> assertOutcome(object, "invalid", 0, 0, 1));
        assertThat(metricLines()).singleElement().asString().doesNotContain("\u00e9").doesNotContain("x\\\"}");
    }

    @Test
    void step_whenWritingItsMetricsFails_keepsItsOutcomeAndWarns() {
        String current = secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));
        SingleUserRotationHandler handler = new SingleUserRotationHandler(secretsManager, environment, database,
                line -> {
                    if (line.startsWith("{\"_aws\":")) {
                        throw new IllegalStateException("sink refuses metrics");
                    }
                    lines.add(line);
                });

        handler.handleRequest(new SecretsManagerRotationEvent("finishSecret", ARN, current, null), null);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains("\"WARN\"").contains("no metrics for this step: IllegalStateException");
        assertThat(lines.get(2)).contains("\"outcome\":\"skipped\"");
    }

    @Test
    void metrics_whenLogLevelIsError_stillWrittenForEveryStep() {
        environment.put("LOG_LEVEL", "ERROR");
        secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));

        rotate();

        assertThat(lines).hasSize(4);
        assertThat(metrics()).hasSize(4).allSatisfy(object -> assertThat(number(object, "Succeeded")).isOne());
    }

    @Test
    void metrics_whenTurnedOff_noObjectAndTheSameLogLines() {
        environment.put("METRICS_ENABLED", "false");
        secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));

        rotate();

        assertThat(metricLines()).isEmpty();
        assertThat(lines).hasSize(8).allMatch(line -> line.startsWith("{\"level\":"));
    }

    @Test
    void metrics_withANamespace_useIt() {
        environment.put("METRICS_NAMESPACE", "Team/Rotation");
        String current = secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));

        run("finishSecret", current);

        assertThat(metrics()).singleElement().satisfies(object ->
                assertThat(string(directive(object), "Namespace")).isEqualTo("Team/Rotation"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "METRICS_NAMESPACE, AWS/Lambda",
        "METRICS_NAMESPACE, caf\u00e9",
        "METRICS_ENABLED, perhaps",
        "METRICS_SECRET_NAME_DIMENSION, sometimes",
        "AWS_LAMBDA_FUNCTION_NAME, f\u00fcnf",
    })
    void step_whenAMetricsVariableIsInvalid_failsNamingItChangesNothingAndStillCounts(String variable, String value) {
        environment.put(variable, value);
        secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));
        String token = secretsManager.startRotation();

        assertThatThrownBy(() -> run("createSecret", token)).isInstanceOf(RotationException.class)
                .hasMessageContaining("environment variable " + variable);

        assertThat(secretsManager.calls).as("calls to Secrets Manager").isEmpty();
        assertThat(metrics()).singleElement().satisfies(object -> {
            assertThat(number(object, "Failed")).isOne();
            assertThat(string(directive(object), "Namespace")).isEqualTo("SecretsManagerRotation");
            assertThat(dimensionSets(object)).doesNotContain(List.of("function", "secret"));
        });
    }

    @Test
    void metrics_withoutAFunctionName_nameTheHandlerClass() {
        environment.remove("AWS_LAMBDA_FUNCTION_NAME");
        String current = secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));

        run("finishSecret", current);

        assertThat(metrics()).singleElement().satisfies(object ->
                assertThat(string(object, "function")).isEqualTo("SingleUserRotationHandler"));
    }

    @Test
    void metrics_withoutOptIn_neverNameTheSecret() {
        secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));

        rotate();

        assertThat(metricLines()).hasSize(4).allSatisfy(line -> assertThat(line).doesNotContain("app-db")
                .doesNotContain("secretsmanager").doesNotContain("\"secret\""));
    }

    @Test
    void metrics_withTheSecretNameOptIn_addADimensionSetWithTheNameWithoutTheArnSuffix() {
        environment.put("METRICS_SECRET_NAME_DIMENSION", "true");
        secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));

        rotate();

        assertThat(metrics()).hasSize(4).allSatisfy(object -> {
            assertThat(string(object, "secret")).isEqualTo("app-db");
            assertThat(dimensionSets(object)).containsExactly(List.of("function", "step"), List.of("function"),
                    List.of("function", "secret"));
        });
        assertThat(metricLines()).noneMatch(line -> line.contains("AbCdEf") || line.contains("123456789012"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/app-db-AbCdEf, prod/app-db",
        "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x-AbCdEf, x",
        "prod/app-db, prod/app-db",
    })
    void secretDimension_fromAnArnOrAName_isTheName(String secretId, String name) {
        String current = secretsManager.create(secretId, SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));
        environment.put("METRICS_SECRET_NAME_DIMENSION", "true");

        new SingleUserRotationHandler(secretsManager, environment, database, lines::add)
                .handleRequest(new SecretsManagerRotationEvent("finishSecret", secretId, current, null), null);

        assertThat(metrics()).singleElement().satisfies(object -> assertThat(string(object, "secret")).isEqualTo(name));
    }

    @Test
    void metrics_inSuccessfulAndFailedRotations_holdNoSecretValueAndNothingButTheirMembers() {
        environment.put("METRICS_SECRET_NAME_DIMENSION", "true");
        secretsManager.create(SingleUserRotationHandlerTest.secret("app", OLD_PASSWORD));
        rotate();
        rotate();
        String token = secretsManager.startRotation();
        run("createSecret", token);
        database.withUser("app", "Changed-Elsewhere-1");
        assertThatThrownBy(() -> run("setSecret", token)).isInstanceOf(RotationException.class);

        List<String> secrets = new ArrayList<>(List.of(OLD_PASSWORD, "Changed-Elsewhere-1"));
        secretsManager.valuesSnapshot().values().stream().filter(Objects::nonNull).forEach(value -> {
            secrets.add(value);
            secrets.add(DatabaseSecret.parse(value).password());
        });
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(8);
        assertThat(metricLines()).hasSize(10);
        for (String line : metricLines()) {
            for (int i = 0; i < secrets.size(); i++) {
                assertThat(line.contains(secrets.get(i))).as("secret value #%d in a metrics object (not shown)", i)
                        .isFalse();
            }
        }
        assertThat(metrics()).allSatisfy(object -> assertThat(object.keySet()).isSubsetOf("_aws", "function",
                "step", "secret", "requestId", "Duration", "Succeeded", "Skipped", "Failed"));
        assertThat(metrics().get(9)).satisfies(object -> assertOutcome(object, "setSecret", 0, 0, 1));
    }
}
