package dev.rotation.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotation.local.console.Console;
import dev.rotation.local.lambda.FunctionDefinition;
import dev.rotation.local.lambda.InvocationResult;
import dev.rotation.local.lambda.LambdaRotationInvoker;
import dev.rotation.local.lambda.LocalFunctions;
import dev.rotation.local.lambda.SamTemplate;
import dev.rotation.local.lambda.TemplateException;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationInvoker;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo [--template template.yaml] [--verbose]}: the project's main job on a machine with a JDK and
 * nothing else. Starts the local Secrets Manager with the template's functions under the Lambda Java
 * runtime, gets a MySQL-compatible and a PostgreSQL server from {@link TestDatabases} (given URLs, Docker,
 * or throwaway servers from installed binaries), creates an application user and its secret on each,
 * rotates each secret through RotateSecret, and shows the labels before and after and that the old
 * password is refused and the new one accepted. No password is ever printed. Exit 0 when both rotations
 * did what the service promises, 1 otherwise, 2 when the template cannot be read.
 */
@Command(name = "demo", sortOptions = false,
        description = {"Rotates a MySQL-compatible and a PostgreSQL user's password end to end, locally: the "
                + "local Secrets Manager runs the template's functions under the Lambda Java runtime.",
                "Database servers: TEST_MYSQL_URL / TEST_POSTGRES_URL, else Docker, else throwaway servers from "
                        + "the installed mariadb-server and postgresql binaries. No password is ever printed."})
final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ROTATION_DEADLINE = Duration.ofMinutes(3);

    /** Held so the level sticks: the demo prints its own progress; the server's step log would repeat it. */
    private static final Logger SERVER_LOG = Logger.getLogger("dev.rotation.local.secretsmanager");

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--template", paramLabel = "FILE", description = "SAM template with MySqlRotationFunction and "
            + "PostgresRotationFunction (default: ${DEFAULT-VALUE}).")
    private Path templatePath = Path.of("template.yaml");

    @Option(names = {"-v", "--verbose"}, description = "Also show the functions' logs.")
    private boolean verbose;

    @Option(names = "--keep", description = "Afterwards keep the Secrets Manager, its console and the databases "
            + "running until Ctrl-C, and print the console's address.")
    private boolean keep;

    private PrintWriter out;
    /** Function log lines per function name, shown when a step fails (or all of them with --verbose). */
    private final Map<String, List<String>> logs = new ConcurrentHashMap<>();

    private record Engine(String title, String secretName, String functionLogicalId, Supplier<TestDatabase> database) {
    }

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        SamTemplate template;
        try {
            template = SamTemplate.read(templatePath, "us-east-1", Map.of());
        } catch (TemplateException e) {
            spec.commandLine().getErr().println("demo: " + e.getMessage() + (Files.exists(templatePath) ? ""
                    : "; run the demo from the project root (or pass --template)"));
            return Main.USAGE;
        }
        if (!verbose) {
            SERVER_LOG.setLevel(Level.WARNING);
        }
        try {
            return demo(template);
        } catch (RuntimeException e) {
            out.println();
            out.println("FAILED: " + e.getMessage());
            return Main.FAILED;
        }
    }

    private int demo(SamTemplate template) {
        out.println("Secrets Manager rotation, end to end on this machine: no AWS account, no Docker needed.");
        out.println();
        List<Engine> engines = List.of(
                new Engine("MySQL-compatible", "demo/mysql", "MySqlRotationFunction", TestDatabases::mysql),
                new Engine("PostgreSQL", "demo/postgres", "PostgresRotationFunction", TestDatabases::postgres));
        out.println("[1/4] Functions from " + template.file());
        for (Engine engine : engines) {
            FunctionDefinition f = template.function(engine.functionLogicalId());
            if (!Files.isRegularFile(f.codeUri())) {
                throw new IllegalStateException(f.codeUri() + " is missing: build it with ./mvnw -B package -DskipTests");
            }
            out.println("      " + f.functionName() + ": " + f.handler() + " in " + template.file().getParent()
                    .relativize(f.codeUri()));
        }
        List<String> failures = new ArrayList<>();
        AtomicInvoker invoker = new AtomicInvoker();
        Console console = Console.create(template.functions().values().stream().map(f -> f.arn("us-east-1")).toList(),
                null);
        try (LocalSecretsManager server = LocalSecretsManager.builder().port(0).maxRotationAttempts(2)
                .rotationInvoker(invoker).auditListener(console.auditListener()).webRoute(Console.PREFIX, console)
                .build().start();
             LocalFunctions functions = LocalFunctions.builder(template).region(server.region())
                     .environmentOverrides(Map.of("SECRETS_MANAGER_ENDPOINT", server.endpoint().toString()))
                     .logs((f, line) -> record(f, line)).build()) {
            invoker.delegate = new LambdaRotationInvoker(functions, new Progress());
            out.println("[2/4] Local Secrets Manager listening on " + server.endpoint()
                    + " (account " + SamTemplate.ACCOUNT_ID + ", " + server.region() + ")");
            out.println("[3/4] Database servers (TEST_MYSQL_URL / TEST_POSTGRES_URL, else Docker, else installed binaries)");
            Map<Engine, TestDatabase> databases = new LinkedHashMap<>();
            for (Engine engine : engines) {
                TestDatabase db = engine.database().get();
                databases.put(engine, db);
                out.println("      " + engine.title() + ": " + db.describe());
            }
            out.println("[4/4] Rotations");
            SecretsManagerCalls sm = new SecretsManagerCalls(server.endpoint());
            for (Map.Entry<Engine, TestDatabase> entry : databases.entrySet()) {
                rotate(entry.getKey(), entry.getValue(), template, server, sm).ifPresent(failures::add);
            }
            if (keep) {
                int result = summary(failures, template);
                keepRunning(server, functions);
                return result;
            }
        }
        return summary(failures, template);
    }

    private int summary(List<String> failures, SamTemplate template) {
        out.println();
        if (!failures.isEmpty()) {
            out.println("FAILED: " + String.join("; ", failures));
            return 1;
        }
        out.println("Both rotations succeeded: the old passwords are refused, the new ones log in.");
        printAwsCommands(template);
        return 0;
    }

    /** --keep: serves until Ctrl-C (or SIGTERM), then stops the functions and the server. */
    private void keepRunning(LocalSecretsManager server, LocalFunctions functions) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            functions.close();
            server.close();
            stopped.countDown();
        }, "demo-shutdown"));
        out.println();
        out.println("Still running (--keep): the console is at " + server.endpoint() + Console.PREFIX
                + " and the API at " + server.endpoint() + "; Ctrl-C stops.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<String> rotate(Engine engine, TestDatabase db, SamTemplate template, LocalSecretsManager server,
                                    SecretsManagerCalls sm) {
        out.println();
        out.println("  == " + engine.title() + " (" + db.engine() + ") ==");
        String database = db.createDatabase("demo");
        String user = "demo_" + randomString(6, "abcdefghijklmnopqrstuvwxyz0123456789");
        String firstPassword = randomString(24, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789");
        db.createAppUser(database, user, firstPassword);
        out.println("  created database " + database + " and application user " + user
                + " (rights on its own database only)");
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("engine", db.engine());
        secret.put("host", db.host());
        secret.put("port", db.port());
        secret.put("username", user);
        secret.put("password", firstPassword);
        secret.put("dbname", database);
        // The throwaway servers offer no TLS; without this key the functions refuse plaintext.
        secret.put("ssl", false);
        JsonNode created = sm.call("CreateSecret", Map.of("Name", engine.secretName(), "SecretString", json(secret)));
        String arn = created.path("ARN").asText();
        out.println("  create-secret " + engine.secretName() + " -> " + arn);
        out.println("  labels before:");
        printLabels(sm, arn);
        FunctionDefinition function = template.function(engine.functionLogicalId());
        String lambdaArn = function.arn(server.region());
        out.println("  rotate-secret --rotation-lambda-arn " + lambdaArn);
        sm.call("RotateSecret", Map.of("SecretId", arn, "RotationLambdaARN", lambdaArn,
                "RotationRules", Map.of("AutomaticallyAfterDays", 30)));
        if (!server.awaitRotations(ROTATION_DEADLINE)) {
            return Optional.of(engine.title() + ": the rotation did not finish within " + ROTATION_DEADLINE.toMinutes() + " min");
        }
        RotationOutcome outcome = server.rotationOutcome(arn).orElseThrow();
        if (!RotationOutcome.SUCCEEDED.equals(outcome.status())) {
            printLogs(function.functionName());
            return Optional.of(engine.title() + ": rotation " + outcome.status() + " at " + outcome.step() + ": "
                    + outcome.reason());
        }
        if (verbose) {
            printLogs(function.functionName());
        }
        out.println("  labels after:");
        printLabels(sm, arn);
        String previous = password(sm, arn, "AWSPREVIOUS");
        String current = password(sm, arn, "AWSCURRENT");
        boolean oldRefused = !db.canLogin(database, user, previous);
        boolean newAccepted = db.canLogin(database, user, current);
        boolean changed = !previous.equals(current);
        out.println("  old password (AWSPREVIOUS): " + (oldRefused ? "refused  ✓" : "STILL ACCEPTED  ✗"));
        out.println("  new password (AWSCURRENT):  " + (newAccepted ? "accepted ✓" : "REFUSED  ✗"));
        if (!changed || !oldRefused || !newAccepted) {
            return Optional.of(engine.title() + ": the database does not match the secret after rotation");
        }
        return Optional.empty();
    }

    private void printLabels(SecretsManagerCalls sm, String arn) {
        JsonNode versions = sm.call("ListSecretVersionIds", Map.of("SecretId", arn)).path("Versions");
        List<JsonNode> sorted = new ArrayList<>();
        versions.forEach(sorted::add);
        sorted.sort((a, b) -> Double.compare(a.path("CreatedDate").asDouble(), b.path("CreatedDate").asDouble()));
        for (JsonNode version : sorted) {
            List<String> stages = new ArrayList<>();
            version.path("VersionStages").forEach(s -> stages.add(s.asText()));
            out.println("    " + version.path("VersionId").asText() + "  " + stages);
        }
    }

    private static String password(SecretsManagerCalls sm, String arn, String stage) {
        JsonNode value = sm.call("GetSecretValue", Map.of("SecretId", arn, "VersionStage", stage));
        try {
            return JSON.readTree(value.path("SecretString").asText()).path("password").asText();
        } catch (IOException e) {
            throw new IllegalStateException("the " + stage + " value is not JSON");
        }
    }

    private void printAwsCommands(SamTemplate template) {
        FunctionDefinition mysql = template.function("MySqlRotationFunction");
        out.println();
        out.println("The same on a real AWS account (region and account from your AWS CLI profile):");
        out.println("  ./mvnw -B package -DskipTests");
        out.println("  sam deploy --guided --template-file template.yaml --capabilities CAPABILITY_IAM");
        out.println("      # add SubnetIds/SecurityGroupIds when the database is in a VPC");
        out.println("  aws secretsmanager create-secret --name prod/app-db \\");
        out.println("      --secret-string file://secret.json   # {\"engine\":\"mysql\",\"host\":...,\"username\":...,\"password\":...}");
        out.println("  aws secretsmanager rotate-secret --secret-id prod/app-db \\");
        out.println("      --rotation-lambda-arn arn:aws:lambda:REGION:ACCOUNT:function:" + mysql.functionName() + ":live \\");
        out.println("      --rotation-rules '{\"ScheduleExpression\":\"rate(30 days)\",\"Duration\":\"2h\"}'");
        out.println("  aws secretsmanager list-secret-version-ids --secret-id prod/app-db   # the labels");
        out.println("  aws secretsmanager describe-secret --secret-id prod/app-db            # LastRotatedDate, NextRotationDate");
        out.println("  (the ARNs are the stack's outputs MySqlRotationFunctionArn and PostgresRotationFunctionArn: the alias");
        out.println("   'live', which runs the published version with SnapStart and which Secrets Manager may invoke)");
    }

    private void record(FunctionDefinition function, String line) {
        logs.computeIfAbsent(function.functionName(), k -> new CopyOnWriteArrayList<>()).add(line);
    }

    private void printLogs(String functionName) {
        List<String> lines = logs.getOrDefault(functionName, List.of());
        out.println("  function log (" + functionName + "):");
        lines.forEach(line -> out.println("    | " + line));
        lines.clear();
    }

    private static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomString(int length, String alphabet) {
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** Prints one line per step as it finishes. */
    private final class Progress implements LambdaRotationInvoker.Listener {
        @Override
        public void started(FunctionDefinition function, RotationStep step) {
        }

        @Override
        public void finished(FunctionDefinition function, RotationStep step, InvocationResult result) {
            String timing = String.format("%6d ms", result.duration().toMillis())
                    + result.initDuration().map(d -> String.format("  (cold start: init %d ms)", d.toMillis())).orElse("");
            if (result.success()) {
                out.printf("    %-13s ok    %s%n", step.step(), timing);
            } else {
                out.printf("    %-13s FAILED %s: %s: %s%n", step.step(), timing, result.errorType(), result.errorMessage());
            }
        }
    }

    /** The server needs its invoker before it starts; the functions need the server's endpoint. */
    private static final class AtomicInvoker implements RotationInvoker {
        volatile LambdaRotationInvoker delegate;

        @Override
        public void invoke(String rotationLambdaArn, RotationStep step) {
            LambdaRotationInvoker target = delegate;
            if (target == null) {
                throw new IllegalStateException("the functions are not ready yet");
            }
            target.invoke(rotationLambdaArn, step);
        }
    }
}
