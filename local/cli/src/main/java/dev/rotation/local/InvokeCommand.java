package dev.rotation.local;

import dev.rotation.local.lambda.EnvVarsFile;
import dev.rotation.local.lambda.FunctionDefinition;
import dev.rotation.local.lambda.InvocationResult;
import dev.rotation.local.lambda.LocalFunctions;
import dev.rotation.local.lambda.SamTemplate;
import dev.rotation.local.lambda.TemplateException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code invoke FUNCTION -e EVENT.json [-e ...] [--env-vars ENV.json] [--template template.yaml]}: the
 * Docker-free counterpart of {@code sam local invoke}. The function's logs and a START/END/REPORT frame go
 * to stderr as Lambda writes them to CloudWatch; each result (or error JSON) goes to stdout, one line per
 * event. Several events run in one warm execution environment. Exit status 1 when any invocation failed.
 */
final class InvokeCommand {
    private InvokeCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String functionName = null;
        List<Path> events = new ArrayList<>();
        Path envVars = null;
        Path templatePath = Path.of("template.yaml");
        String region = "us-east-1";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                if (functionName != null) {
                    err.println("invoke: only one function, got " + functionName + " and " + arg);
                    return 2;
                }
                functionName = arg;
                continue;
            }
            if (i + 1 >= args.length) {
                err.println("invoke: " + arg + " needs a value");
                return 2;
            }
            String value = args[++i];
            switch (arg) {
                case "-e", "--event" -> events.add(Path.of(value));
                case "--env-vars", "-n" -> envVars = Path.of(value);
                case "--template", "-t" -> templatePath = Path.of(value);
                case "--region" -> region = value;
                default -> {
                    err.println("invoke: unknown option " + arg);
                    return 2;
                }
            }
        }
        if (functionName == null || events.isEmpty()) {
            err.println("usage: invoke FUNCTION -e EVENT.json [-e EVENT2.json ...] [--env-vars ENV.json] "
                    + "[--template template.yaml]");
            return 2;
        }
        List<byte[]> payloads = new ArrayList<>();
        for (Path event : events) {
            try {
                payloads.add(Files.readAllBytes(event));
            } catch (IOException e) {
                err.println("invoke: cannot read event " + event + ": " + e.getMessage());
                return 2;
            }
        }
        LocalFunctions functions;
        FunctionDefinition function;
        try {
            EnvVarsFile env = envVars == null ? EnvVarsFile.empty() : EnvVarsFile.read(envVars);
            if (!Files.isRegularFile(templatePath)) {
                err.println("invoke: no template at " + templatePath.toAbsolutePath()
                        + "; run from the project root or pass --template");
                return 2;
            }
            SamTemplate template = SamTemplate.read(templatePath, region, Map.of());
            functions = LocalFunctions.builder(template).envVars(env).region(region)
                    .logs((f, line) -> err.println(line)).build();
            function = functions.resolve(functionName);
        } catch (TemplateException e) {
            err.println("invoke: " + e.getMessage());
            return 2;
        }
        boolean failed = false;
        try (functions) {
            for (int i = 0; i < payloads.size(); i++) {
                err.println("Invoking " + function.handler() + " (" + function.functionName() + ") with " + events.get(i));
                InvocationResult result;
                try {
                    result = functions.invoke(function.logicalId(), payloads.get(i));
                } catch (TemplateException e) {
                    err.println("invoke: " + e.getMessage());
                    return 2;
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
        return failed ? 1 : 0;
    }

    private static String millis(Duration d) {
        return String.format("%.2f ms", d.toNanos() / 1_000_000.0);
    }
}
