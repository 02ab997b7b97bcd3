package dev.rotation.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotation.local.lambda.FunctionDefinition;
import dev.rotation.local.lambda.InvocationResult;
import dev.rotation.local.lambda.LocalFunctions;
import dev.rotation.local.lambda.TemplateException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code preflight FUNCTION --secret-id ID [--env-vars ENV.json] [--template template.yaml]}: sends the
 * function the preflight event ({@code {"Step": "preflight", "SecretId": ID}}) through the local Lambda
 * runtime, as {@code aws lambda invoke} would send it to the deployed function, and prints its checks as
 * a list, one line each with what to do about a failure. Changes nothing. Exit status 0 only when every
 * check passed, 1 otherwise (or when the function failed), 2 for a usage or template error.
 */
@Command(name = "preflight", sortOptions = false,
        description = {"Asks a function of the template, under the Lambda Java runtime, whether a rotation of the "
                + "secret would work: configuration, Secrets Manager, rotation settings, the secret, the database's "
                + "reach, TLS, the login and, for alternating users, the master. Changes nothing.",
                "Exit status 0 only when every check passes."})
final class PreflightCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Parameters(index = "0", paramLabel = "FUNCTION", description = "Logical id, FunctionName or ARN of the "
            + "function.")
    private String functionName;

    @Option(names = "--secret-id", paramLabel = "ID", required = true, description = "Name or ARN of the secret.")
    private String secretId;

    @Option(names = {"-v", "--verbose"}, description = "Also show the function's logs.")
    private boolean verbose;

    @Mixin
    private FunctionOptions options;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> event = new LinkedHashMap<>();
        event.put("Step", "preflight");
        event.put("SecretId", secretId);
        InvocationResult result;
        FunctionDefinition function;
        try (LocalFunctions functions = options.functions(Map.of(), (f, line) -> {
            if (verbose) {
                err.println(line);
            }
        })) {
            function = functions.resolve(functionName);
            result = functions.invoke(function.logicalId(), InvokeCommand.Json.bytes(event));
        } catch (TemplateException e) {
            err.println("preflight: " + e.getMessage());
            return Main.USAGE;
        }
        if (!result.success()) {
            err.println("preflight: the function failed: " + result.errorType() + ": " + result.errorMessage()
                    + (verbose ? "" : " (--verbose shows its logs)"));
            return Main.FAILED;
        }
        JsonNode answer;
        try {
            answer = InvokeCommand.Json.parse(result.payload());
        } catch (UncheckedIOException e) {
            err.println("preflight: the function's answer is not JSON (is it a function of this project?)");
            return Main.FAILED;
        }
        if (!answer.path("checks").isArray()) {
            err.println("preflight: the function answered without checks; it does not know the preflight event"
                    + " (an older build? rebuild with ./mvnw -B package -DskipTests)");
            return Main.FAILED;
        }
        boolean unicode = Charset.defaultCharset().newEncoder().canEncode("✓✗");
        String pass = unicode ? "✓" : "[ok]";
        String fail = unicode ? "✗" : "[FAILED]";
        int failed = 0;
        int total = 0;
        out.println("Preflight of " + function.functionName() + " for secret " + secretId + ":");
        for (JsonNode check : answer.path("checks")) {
            boolean ok = check.path("ok").asBoolean(false);
            total++;
            failed += ok ? 0 : 1;
            out.println((ok ? pass : fail) + " " + check.path("name").asText() + ": " + check.path("detail").asText());
        }
        for (JsonNode name : answer.path("notChecked")) {
            out.println("- " + name.asText() + ": not checked (needs a check above that failed)");
        }
        boolean ok = answer.path("ok").asBoolean(false) && failed == 0;
        out.println(ok ? "All " + total + " checks passed: a rotation should work from here."
                : failed + " of " + total + " checks failed.");
        return ok ? 0 : Main.FAILED;
    }
}
