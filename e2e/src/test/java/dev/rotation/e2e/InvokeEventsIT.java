package dev.rotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotation.local.secretsmanager.InProcessInvoker;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.shared.AlternatingUsersRotationHandler;
import dev.rotation.mysql.MySqlEngine;
import dev.rotation.shared.SingleUserRotationHandler;
import dev.rotation.postgres.PostgresEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * {@code invoke} with every event in events/, against the local Secrets Manager and real databases: the
 * state is set so that each step's event is valid (the secret exists and RotateSecret, with the event's
 * token and a no-op function, created the value-less AWSPENDING version), the four events run in one warm
 * JVM under the Lambda Java runtime, and the answers match what the same handler returns in-process.
 */
class InvokeEventsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOOP_ARN = "arn:aws:lambda:us-east-1:123456789012:function:noop";
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    @TempDir
    static Path dir;

    private static LocalSecretsManager server;
    private static SecretsManagerClient client;
    private static Path envFile;

    /** One function of the template and the events written for it. */
    record Case(String logicalId, String eventPrefix, Supplier<TestDatabase> database, boolean alternating,
                BiFunction<SecretsManagerClient, Map<String, String>, RequestHandler<SecretsManagerRotationEvent, Void>> handler) {
        @Override
        public String toString() {
            return logicalId;
        }

        Path event(String step) {
            return Processes.EVENTS.resolve(eventPrefix + "-" + step + ".json");
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("MySqlRotationFunction", "mysql", TestDatabases::mysql, false,
                        (c, env) -> new SingleUserRotationHandler(c, env, new MySqlEngine(), line -> { })),
                new Case("PostgresRotationFunction", "postgres", TestDatabases::postgres, false,
                        (c, env) -> new SingleUserRotationHandler(c, env, new PostgresEngine(), line -> { })),
                new Case("MySqlAlternatingUsersRotationFunction", "mysql-alternating-users", TestDatabases::mysql, true,
                        (c, env) -> new AlternatingUsersRotationHandler(c, env, new MySqlEngine(), new MySqlEngine(),
                                line -> { })),
                new Case("PostgresAlternatingUsersRotationFunction", "postgres-alternating-users",
                        TestDatabases::postgres, true,
                        (c, env) -> new AlternatingUsersRotationHandler(c, env, new PostgresEngine(), new PostgresEngine(),
                                line -> { })));
    }

    @BeforeAll
    static void start() throws Exception {
        Processes.requireJars();
        server = LocalSecretsManager.builder().port(0).maxRotationAttempts(1)
                .rotationInvoker(new InProcessInvoker().register(NOOP_ARN, step -> { })).build().start();
        client = SecretsManagerClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        // The project's env.json, pointed at this test's server.
        ObjectNode env = (ObjectNode) JSON.readTree(Processes.EVENTS.resolve("env.json").toFile());
        env.fields().forEachRemaining(e -> ((ObjectNode) e.getValue())
                .put("SECRETS_MANAGER_ENDPOINT", server.endpoint().toString()));
        envFile = dir.resolve("env.json");
        JSON.writeValue(envFile.toFile(), env);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyEventFile_belongsToAFunctionTested() throws Exception {
        Set<String> tested = new TreeSet<>();
        cases().forEach(c -> STEPS.forEach(s -> tested.add(c.event(s).getFileName().toString())));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(Processes.EVENTS)) {
            // preflight.json is no rotation step: PreflightCliIT sends it.
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.equals("env.json")
                            && !n.equals("preflight.json"))
                    .forEach(present::add);
        }

        assertThat(tested).isEqualTo(present);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void invoke_theFourEventsInOneWarmJvm_rotatesAndAnswersAsTheHandlerInProcess(Case c) throws Exception {
        Fixture viaRuntime = prepare(c);
        Processes.Result result = invoke(c, STEPS.stream().map(c::event).toList());

        assertThat(result.exit()).as("stdout:\n%s\nstderr:\n%s", result.out(), result.err()).isZero();
        List<String> runtimeAnswers = result.out().lines().toList();
        assertThat(result.err().split("Init Duration", -1)).as("one cold start").hasSize(2);
        assertThat(result.err().split("REPORT RequestId", -1)).hasSize(5);
        viaRuntime.assertRotated(c);

        Fixture inProcess = prepare(c);
        RequestHandler<SecretsManagerRotationEvent, Void> handler = c.handler().apply(client, environment(c));
        List<String> inProcessAnswers = new ArrayList<>();
        for (String step : STEPS) {
            inProcessAnswers.add(String.valueOf(handler.handleRequest(event(c.event(step)), null)));
        }
        inProcess.assertRotated(c);

        assertThat(runtimeAnswers).isEqualTo(inProcessAnswers).containsExactly("null", "null", "null", "null");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void invoke_eventForAMissingSecret_failsWithTheHandlersErrorTypeAndMessage(Case c) throws Exception {
        prepare(c);
        String name = secretName(c);
        client.deleteSecret(r -> r.secretId(name).forceDeleteWithoutRecovery(true));

        Processes.Result result = invoke(c, List.of(c.event("createSecret")));
        RequestHandler<SecretsManagerRotationEvent, Void> handler = c.handler().apply(client, environment(c));
        SecretsManagerRotationEvent event = event(c.event("createSecret"));
        Throwable thrown = catchThrowable(() -> handler.handleRequest(event, null));

        assertThat(result.exit()).as(result.err()).isEqualTo(1);
        JsonNode error = JSON.readTree(result.out());
        assertThat(thrown).isNotNull();
        assertThat(error.path("errorType").asText()).isEqualTo(thrown.getClass().getName());
        assertThat(withoutRequestId(error.path("errorMessage").asText())).isEqualTo(withoutRequestId(thrown.getMessage()));
        assertThat(result.err()).contains("Function error: " + thrown.getClass().getName());
    }

    @Test
    void invoke_handlerThatDoesNotResolve_reportsAnInitErrorAndFails() throws Exception {
        Path template = dir.resolve("bad-template.yaml");
        Files.writeString(template, """
                Resources:
                  Broken:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: %s
                      Handler: dev.rotation.mysql.NoSuchHandler::handleRequest
                """.formatted(Processes.ROOT.resolve("rotation-mysql/target/rotation-mysql.jar")));

        Processes.Result result = Processes.rotationLocal(dir, 120, Map.of(), "invoke", "Broken", "-e",
                Processes.EVENTS.resolve("mysql-createSecret.json").toString(), "--template", template.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("Init error: handler dev.rotation.mysql.NoSuchHandler::handleRequest "
                + "could not be loaded").contains("java.lang.ClassNotFoundException");
        assertThat(JSON.readTree(result.out()).path("errorType").asText()).isEqualTo("java.lang.ClassNotFoundException");
    }

    @Test
    void invoke_unknownFunction_namesTheKnownOnes() throws Exception {
        Processes.Result result = Processes.rotationLocal(Processes.ROOT, 60, Map.of(), "invoke", "NoSuchFunction", "-e",
                Processes.EVENTS.resolve("mysql-createSecret.json").toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("no function NoSuchFunction").contains("MySqlRotationFunction (rds-rotation-mysql)");
    }

    /** The SDK's message names the request, which differs between the two calls. */
    private static String withoutRequestId(String message) {
        return message.replaceAll("Request ID: [0-9a-f-]+", "Request ID: *");
    }

    private static Processes.Result invoke(Case c, List<Path> events) throws Exception {
        List<String> args = new ArrayList<>(List.of("invoke", c.logicalId()));
        for (Path event : events) {
            args.add("-e");
            args.add(event.toString());
        }
        args.addAll(List.of("--env-vars", envFile.toString(), "--template", Processes.TEMPLATE.toString()));
        return Processes.rotationLocal(dir, 180, Map.of(), args.toArray(String[]::new));
    }

    private static Map<String, String> environment(Case c) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        JSON.readTree(envFile.toFile()).path(c.logicalId()).fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    private static SecretsManagerRotationEvent event(Path file) throws Exception {
        JsonNode json = JSON.readTree(file.toFile());
        SecretsManagerRotationEvent event = new SecretsManagerRotationEvent();
        event.setStep(json.path("Step").asText());
        event.setSecretId(json.path("SecretId").asText());
        event.setClientRequestToken(json.path("ClientRequestToken").asText());
        event.setRotationToken(json.path("RotationToken").asText());
        return event;
    }

    private static String secretName(Case c) throws Exception {
        String id = JSON.readTree(c.event("createSecret").toFile()).path("SecretId").asText();
        return id.substring(id.indexOf(":secret:") + ":secret:".length());
    }

    private static String token(Case c) throws Exception {
        return JSON.readTree(c.event("createSecret").toFile()).path("ClientRequestToken").asText();
    }

    /** A fresh secret named as in the events with a new database user, and a started rotation with the events' token. */
    private static Fixture prepare(Case c) throws Exception {
        String name = secretName(c);
        for (String stale : List.of(name, name + "-master")) {
            try {
                client.deleteSecret(r -> r.secretId(stale).forceDeleteWithoutRecovery(true));
            } catch (ResourceNotFoundException e) {
                // Nothing from an earlier test.
            }
        }
        TestDatabase db = c.database().get();
        String database = db.createDatabase("events");
        String user = "ev_" + UUID.randomUUID().toString().substring(0, 8);
        String password = "First-" + UUID.randomUUID();
        db.createAppUser(database, user, password);
        Map<String, Object> secret = new LinkedHashMap<>(Map.of("engine", db.engine(), "host", db.host(),
                "port", db.port(), "username", user, "password", password, "dbname", database));
        if (c.alternating()) {
            String masterArn = client.createSecret(r -> r.name(name + "-master").secretString(json(Map.of(
                    "engine", db.engine(), "host", db.host(), "port", db.port(), "username", db.adminUsername(),
                    "password", db.adminPassword())))).arn();
            secret.put("masterarn", masterArn);
        }
        client.createSecret(r -> r.name(name).secretString(json(secret)));
        String token = token(c);
        client.rotateSecret(r -> r.secretId(name).clientRequestToken(token).rotationLambdaARN(NOOP_ARN)
                .rotationRules(rules -> rules.automaticallyAfterDays(30L)));
        assertThat(server.awaitRotations(Duration.ofSeconds(30))).isTrue();
        assertThat(client.describeSecret(r -> r.secretId(name)).versionIdsToStages().get(token))
                .containsExactly("AWSPENDING");
        return new Fixture(db, database, user, password, name, token);
    }

    private static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private record Fixture(TestDatabase db, String database, String user, String firstPassword, String name,
                           String token) {
        void assertRotated(Case c) throws Exception {
            assertThat(client.describeSecret(r -> r.secretId(name)).versionIdsToStages().get(token))
                    .contains("AWSCURRENT");
            JsonNode current = JSON.readTree(client.getSecretValue(r -> r.secretId(name).versionStage("AWSCURRENT"))
                    .secretString());
            String username = current.path("username").asText();
            String password = current.path("password").asText();
            assertThat(password).isNotEqualTo(firstPassword);
            assertThat(db.canLogin(database, username, password)).as("the new password logs in").isTrue();
            if (c.alternating()) {
                assertThat(username).isEqualTo(user + "_clone");
            } else {
                assertThat(username).isEqualTo(user);
                assertThat(db.canLogin(database, user, firstPassword)).as("the old password is refused").isFalse();
            }
        }
    }
}
