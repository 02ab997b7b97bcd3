package dev.rotation.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotation.local.lambda.FileErrors;
import dev.rotation.local.lambda.FunctionDefinition;
import dev.rotation.local.lambda.InvocationResult;
import dev.rotation.local.lambda.LocalFunctions;
import dev.rotation.local.lambda.TemplateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code invoke FUNCTION (-e EVENT.json [-e ...] | --secret-id ID) [--env-vars ENV.json] [--template
 * template.yaml]}: the Docker-free counterpart of {@code sam local invoke}. With {@code -e} it sends the
 * events as they are; with {@code --secret-id} it runs a whole rotation of the secret as Secrets Manager
 * would: a new token whose version holds AWSPENDING and no value (what RotateSecret prepares, shown to
 * the function by {@link PendingVersionProxy}), then the four steps in order, stopping at the first that
 * fails. The function's logs and a START/END/REPORT frame go to stderr as Lambda writes them to
 * CloudWatch; each result (or error JSON) goes to stdout, one line per event. Several events run in one
 * warm execution environment. Exit status 1 when an invocation failed or the secret cannot be rotated,
 * 2 for a usage error, an event file that cannot be read or a template error.
 */
@Command(name = "invoke", sortOptions = false,
        description = {"Runs a function of the template under the Lambda Java runtime, in one warm JVM: once per "
                + "event (-e), or a whole rotation of a secret (--secret-id). The Docker-free counterpart of sam local "
                + "invoke.",
                "Logs go to stderr, each result to stdout. Exit status 1 when an invocation failed."})
final class InvokeCommand implements Callable<Integer> {
    static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Parameters(index = "0", paramLabel = "FUNCTION", description = "Logical id, FunctionName or ARN of the "
            + "function.")
    private String functionName;

    @Option(names = {"-e", "--event"}, paramLabel = "EVENT.json", description = "Event to invoke the function "
            + "with (repeatable: one invocation each, in order).")
    private List<Path> events = new ArrayList<>();

    @Option(names = "--secret-id", paramLabel = "ID", description = "Rotate this secret: prepare its AWSPENDING "
            + "version as RotateSecret does and send the four steps. Needs the function's SECRETS_MANAGER_ENDPOINT "
            + "to be a local Secrets Manager (serve), e.g. with --env-vars events/env.json.")
    private String secretId;

    @Mixin
    private FunctionOptions options;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (events.isEmpty() == (secretId == null)) {
            return usage(err, "give either -e EVENT.json or --secret-id ID");
        }
        List<byte[]> payloads = new ArrayList<>();
        for (Path event : events) {
            try {
                payloads.add(Files.readAllBytes(event));
            } catch (IOException e) {
                return usage(err, "cannot read event " + event + ": " + FileErrors.reason(e));
            }
        }
        List<String> labels = events.stream().map(Path::toString).toList();
        try {
            if (secretId != null) {
                return rotate(out, err);
            }
            try (LocalFunctions functions = options.functions(Map.of(), (f, line) -> err.println(line))) {
                FunctionDefinition function = functions.resolve(functionName);
                return run(functions, function, payloads, labels, false, out, err) ? Main.FAILED : 0;
            }
        } catch (TemplateException e) {
            return usage(err, e.getMessage());
        }
    }

    /** The whole rotation of {@link #secretId}, as RotateSecret runs it. */
    private int rotate(PrintWriter out, PrintWriter err) {
        URI upstream;
        try (LocalFunctions plain = options.functions(Map.of(), (f, line) -> { })) {
            String endpoint = plain.resolve(functionName).environment().get("SECRETS_MANAGER_ENDPOINT");
            if (endpoint == null || endpoint.isBlank()) {
                return usage(err, "--secret-id needs the function's SECRETS_MANAGER_ENDPOINT to name a local Secrets"
                        + " Manager, e.g. --env-vars events/env.json with serve running (the service makes a value-less"
                        + " AWSPENDING version only inside RotateSecret)");
            }
            upstream = URI.create(endpoint);
        }
        JsonNode description;
        try {
            description = new SecretsManagerCalls(upstream).call("DescribeSecret", Map.of("SecretId", secretId));
        } catch (IllegalStateException e) {
            err.println("invoke: cannot describe secret " + secretId + " at " + upstream + ": " + reason(e)
                    + (e.getCause() != null ? " (is serve running?)" : ""));
            return Main.FAILED;
        }
        String arn = description.path("ARN").asText();
        if (!description.path("RotationEnabled").asBoolean(false)) {
            err.println("invoke: rotation is not enabled on secret " + arn + ", and every step checks it: turn it on"
                    + " once with aws secretsmanager rotate-secret --secret-id " + secretId + " --rotation-lambda-arn ...");
            return Main.FAILED;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = description.path("VersionIdsToStages").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> version = it.next();
            List<String> stages = new ArrayList<>();
            version.getValue().forEach(label -> stages.add(label.asText()));
            if (stages.contains("AWSPENDING") && !stages.contains("AWSCURRENT")) {
                err.println("invoke: a previous rotation isn't complete: version " + version.getKey() + " of " + arn
                        + " holds AWSPENDING (as RotateSecret, invoke refuses; preflight says how to resolve it)");
                return Main.FAILED;
            }
        }
        String token = UUID.randomUUID().toString();
        String rotationToken = UUID.randomUUID().toString();
        List<byte[]> payloads = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (String step : STEPS) {
            Map<String, String> event = new LinkedHashMap<>();
            event.put("Step", step);
            event.put("SecretId", arn);
            event.put("ClientRequestToken", token);
            event.put("RotationToken", rotationToken);
            payloads.add(Json.bytes(event));
            labels.add(step + " of " + arn + ", token " + token);
        }
        try (PendingVersionProxy proxy = new PendingVersionProxy(upstream, arn, token);
                LocalFunctions functions = options.functions(Map.of("SECRETS_MANAGER_ENDPOINT",
                        proxy.endpoint().toString()), (f, line) -> err.println(line))) {
            FunctionDefinition function = functions.resolve(functionName);
            boolean failed = run(functions, function, payloads, labels, true, out, err);
            err.println(failed ? "Rotation of " + arn + " failed; version " + token + " keeps AWSPENDING"
                    : "Rotated " + arn + ": version " + token + " is AWSCURRENT");
            return failed ? Main.FAILED : 0;
        } catch (UncheckedIOException e) {
            err.println("invoke: " + e.getMessage() + ": " + FileErrors.reason(e.getCause()));
            return Main.FAILED;
        }
    }

    /** Invokes each payload in order (a rotation stops at its first failed step); true when one failed. */
    private static boolean run(LocalFunctions functions, FunctionDefinition function, List<byte[]> payloads,
            List<String> labels, boolean stopAtFailure, PrintWriter out, PrintWriter err) {
        boolean failed = false;
        for (int i = 0; i < payloads.size(); i++) {
            err.println("Invoking " + function.handler() + " (" + function.functionName() + ") with " + labels.get(i));
            InvocationResult result = functions.invoke(function.logicalId(), payloads.get(i));
            err.println("END RequestId: " + result.requestId());
            err.println("REPORT RequestId: " + result.requestId()
                    + result.initDuration().map(d -> "\tInit Duration: " + millis(d)).orElse("")
                    + "\tDuration: " + millis(result.duration())
                    + "\tMemory Size: " + function.memoryMb() + " MB");
            out.println(result.payload());
            out.flush();
            if (!result.success()) {
                err.println(result.initError()
                        ? "Init error: handler " + function.handler() + " could not be loaded from "
                                + function.codeUri() + ": " + result.errorType() + ": " + result.errorMessage()
                        : "Function error: " + result.errorType() + ": " + result.errorMessage());
                failed = true;
                if (stopAtFailure) {
                    return true;
                }
            }
        }
        return failed;
    }

    private static String reason(IllegalStateException e) {
        Throwable cause = e.getCause();
        if (cause instanceof java.net.ConnectException) {
            return "Connection refused";
        }
        if (cause instanceof IOException io) {
            return FileErrors.reason(io);
        }
        return e.getMessage();
    }

    private static int usage(PrintWriter err, String message) {
        err.println("invoke: " + message);
        return Main.USAGE;
    }

    private static String millis(Duration d) {
        return String.format("%.2f ms", d.toNanos() / 1_000_000.0);
    }

    /** The few JSON texts the commands write themselves. */
    static final class Json {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                new com.fasterxml.jackson.databind.ObjectMapper();

        private Json() {
        }

        static byte[] bytes(Object value) {
            try {
                return MAPPER.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static JsonNode parse(String text) {
            try {
                return MAPPER.readTree(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
