package dev.rotation.local;

import dev.rotation.local.lambda.EnvVarsFile;
import dev.rotation.local.lambda.FileErrors;
import dev.rotation.local.lambda.FunctionDefinition;
import dev.rotation.local.lambda.InvocationResult;
import dev.rotation.local.lambda.LocalFunctions;
import dev.rotation.local.lambda.SamTemplate;
import dev.rotation.local.lambda.TemplateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code invoke FUNCTION -e EVENT.json [-e ...] [--env-vars ENV.json] [--template template.yaml]}: the
 * Docker-free counterpart of {@code sam local invoke}. The function's logs and a START/END/REPORT frame go
 * to stderr as Lambda writes them to CloudWatch; each result (or error JSON) goes to stdout, one line per
 * event. Several events run in one warm execution environment. Exit status 1 when any invocation failed,
 * 2 for a usage error, an event file that cannot be read or a template error.
 */
@Command(name = "invoke", sortOptions = false,
        description = {"Runs a function of the template once per event under the Lambda Java runtime, in one warm "
                + "JVM: the Docker-free counterpart of sam local invoke.",
                "Logs go to stderr, each result to stdout. Exit status 1 when an invocation failed."})
final class InvokeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Parameters(index = "0", paramLabel = "FUNCTION", description = "Logical id, FunctionName or ARN of the "
            + "function.")
    private String functionName;

    @Option(names = {"-e", "--event"}, paramLabel = "EVENT.json", required = true, description = "Event to invoke "
            + "the function with (repeatable: one invocation each, in order).")
    private List<Path> events = new ArrayList<>();

    @Option(names = {"-n", "--env-vars"}, paramLabel = "ENV.json", description = "Environment overrides per "
            + "function, as sam local invoke --env-vars reads them.")
    private Path envVars;

    @Option(names = {"-t", "--template"}, paramLabel = "FILE", description = "SAM template (default: "
            + "${DEFAULT-VALUE}).")
    private Path templatePath = Path.of("template.yaml");

    @Option(names = "--region", paramLabel = "REGION", description = "Region of the function's ARN and "
            + "environment (default: ${DEFAULT-VALUE}).")
    private String region = "us-east-1";

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<byte[]> payloads = new ArrayList<>();
        for (Path event : events) {
            try {
                payloads.add(Files.readAllBytes(event));
            } catch (IOException e) {
                return usage(err, "cannot read event " + event + ": " + FileErrors.reason(e));
            }
        }
        LocalFunctions functions;
        FunctionDefinition function;
        try {
            EnvVarsFile env = envVars == null ? EnvVarsFile.empty() : EnvVarsFile.read(envVars);
            SamTemplate template = SamTemplate.read(templatePath, region, Map.of());
            functions = LocalFunctions.builder(template).envVars(env).region(region)
                    .logs((f, line) -> err.println(line)).build();
            function = functions.resolve(functionName);
        } catch (TemplateException e) {
            return usage(err, e.getMessage() + (Files.exists(templatePath) ? ""
                    : "; run from the project root or pass --template"));
        }
        boolean failed = false;
        try (functions) {
            for (int i = 0; i < payloads.size(); i++) {
                err.println("Invoking " + function.handler() + " (" + function.functionName() + ") with " + events.get(i));
                InvocationResult result;
                try {
                    result = functions.invoke(function.logicalId(), payloads.get(i));
                } catch (TemplateException e) {
                    return usage(err, e.getMessage());
                }
                err.println("END RequestId: " + result.requestId());
                err.println("REPORT RequestId: " + result.requestId()
                        + result.initDuration().map(d -> "\tInit Duration: " + millis(d)).orElse("")
                        + "\tDuration: " + millis(result.duration())
                        + "\tMemory Size: " + function.memoryMb() + " MB");
                if (result.success()) {
                    out.println(result.payload());
                } else {
                    failed = true;
                    out.println(result.payload());
                    err.println(result.initError()
                            ? "Init error: handler " + function.handler() + " could not be loaded from "
                                    + function.codeUri() + ": " + result.errorType() + ": " + result.errorMessage()
                            : "Function error: " + result.errorType() + ": " + result.errorMessage());
                }
                out.flush();
            }
        }
        return failed ? Main.FAILED : 0;
    }

    private static int usage(PrintWriter err, String message) {
        err.println("invoke: " + message);
        return Main.USAGE;
    }

    private static String millis(Duration d) {
        return String.format("%.2f ms", d.toNanos() / 1_000_000.0);
    }
}
