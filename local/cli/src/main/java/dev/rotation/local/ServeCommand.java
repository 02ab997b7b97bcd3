package dev.rotation.local;

import dev.rotation.local.console.Console;
import dev.rotation.local.lambda.EnvVarsFile;
import dev.rotation.local.lambda.FileErrors;
import dev.rotation.local.lambda.FunctionDefinition;
import dev.rotation.local.lambda.InvocationResult;
import dev.rotation.local.lambda.LambdaRotationInvoker;
import dev.rotation.local.lambda.LocalFunctions;
import dev.rotation.local.lambda.SamTemplate;
import dev.rotation.local.lambda.TemplateException;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationInvoker;
import dev.rotation.local.secretsmanager.RotationStep;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code serve}: runs the local Secrets Manager until SIGTERM or Ctrl-C, printing the endpoint URL
 * once it accepts requests. With a SAM template ({@code --template}, or {@code ./template.yaml} when it
 * exists; {@code --no-template} turns that off) RotateSecret and scheduled rotations run the template's
 * functions under the Lambda Java runtime, their SECRETS_MANAGER_ENDPOINT pointing at this server.
 * It listens on loopback only: a {@code --host} that is not a loopback address is refused unless
 * {@code --allow-remote} is given, and then a warning says that every secret is served, unauthenticated,
 * to the network. {@code --allowed-host NAME} adds a name the Host header may carry.
 */
@Command(name = "serve", sortOptions = false,
        description = {"The local Secrets Manager (AWS JSON 1.1, as the SDKs and the AWS CLI speak it) until "
                + "SIGTERM or Ctrl-C; it prints its endpoint when ready. RotateSecret runs the template's functions.",
                "Loopback only unless --allow-remote, which serves every secret, unauthenticated, to the network."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    private String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on, 0 for any free one "
            + "(default: ${DEFAULT-VALUE}).")
    private int port = 4566;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep the secrets here, encrypted, across "
            + "restarts (default: in memory).")
    private Path dataDir;

    @Option(names = "--template", paramLabel = "FILE", description = "SAM template whose functions RotateSecret "
            + "runs (default: ./template.yaml if it exists).")
    private Path template;

    @Option(names = "--no-template", description = "Run no functions, even if ./template.yaml exists.")
    private boolean noTemplate;

    @Option(names = "--env-vars", paramLabel = "FILE", description = "Environment overrides per function, as "
            + "sam local invoke --env-vars reads them.")
    private Path envVars;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Keep a function's warm JVM this "
            + "long after its last invocation (default: ${DEFAULT-VALUE}).")
    private long idleTimeoutSeconds = LocalFunctions.DEFAULT_IDLE_TIMEOUT.toSeconds();

    @Option(names = "--allow-remote", description = "Allow a --host that is not a loopback address.")
    private boolean allowRemote;

    @Option(names = "--allowed-host", paramLabel = "NAME", description = "Another name the Host header may carry "
            + "(repeatable).")
    private List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--audit-log", paramLabel = "FILE", description = "Write the audit trail (CloudTrail's JSON, one "
            + "event a line) here (default: DIR/" + LocalSecretsManager.AUDIT_LOG + " with --data-dir, else none).")
    private Path auditLog;

    @Option(names = "--iam", paramLabel = "FILE", description = "Access control: requests must be signed with the "
            + "file's access keys and are allowed as IAM allows the keys' principals (policies, or a template role).")
    private Path iamFile;

    @Option(names = "--on-rotation-failure", paramLabel = "CMD", description = "Run CMD (by /bin/sh -c) on each "
            + "RotationFailed or RotationAbandoned event, the event's JSON (as EventBridge delivers it) on its stdin.")
    private String onFailureCommand;

    @Option(names = "--on-rotation-failure-webhook", paramLabel = "URL", description = "POST each RotationFailed or "
            + "RotationAbandoned event's JSON (as EventBridge delivers it) to URL.")
    private String onFailureWebhook;

    @Option(names = "--no-console", description = "Serve no web console (by default at /console on the same address).")
    private boolean noConsole;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (idleTimeoutSeconds <= 0) {
            return usage(err, "--idle-timeout must be a positive number of seconds, got " + idleTimeoutSeconds);
        }
        if (onFailureWebhook != null && RotationAlerts.checkWebhook(onFailureWebhook) != null) {
            return usage(err, RotationAlerts.checkWebhook(onFailureWebhook));
        }
        if (onFailureCommand != null && onFailureCommand.isBlank()) {
            return usage(err, "--on-rotation-failure needs a command");
        }
        // The server's outcome is read once the server exists; the alerts listen from the first event.
        AtomicReference<LocalSecretsManager> running = new AtomicReference<>();
        RotationAlerts alerts = new RotationAlerts(onFailureCommand,
                onFailureWebhook == null ? null : java.net.URI.create(onFailureWebhook), out, err,
                arn -> running.get() == null ? java.util.Optional.empty() : running.get().rotationOutcome(arn));
        LocalSecretsManager.Builder builder = LocalSecretsManager.builder().host(host).allowRemote(allowRemote);
        try {
            builder.port(port);
            allowedHosts.forEach(builder::allowedHost);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        if (dataDir != null) {
            builder.dataDir(dataDir);
        }
        Path templatePath = template;
        if (templatePath == null && !noTemplate && Files.isRegularFile(Path.of("template.yaml"))) {
            templatePath = Path.of("template.yaml");
        }
        SamTemplate samTemplate = null;
        EnvVarsFile env;
        if (auditLog != null) {
            builder.auditLog(auditLog);
        }
        builder.auditListener(alerts::onEvent);
        try {
            if (templatePath != null && !noTemplate) {
                samTemplate = SamTemplate.read(templatePath, "us-east-1", Map.of());
            }
            IamFile iam = null;
            if (iamFile != null) {
                iam = IamFile.read(iamFile, samTemplate == null ? null : samTemplate.roles());
                builder.iam(iam.config());
            }
            env = iam == null || samTemplate == null ? (envVars == null ? EnvVarsFile.empty() : EnvVarsFile.read(envVars))
                    : iam.functionCredentials(samTemplate, envVars);
        } catch (TemplateException | IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        if (!noConsole) {
            Console console = Console.create(samTemplate == null ? List.of() : samTemplate.functions().values().stream()
                    .map(f -> f.arn("us-east-1")).toList(), auditLog != null ? auditLog
                    : dataDir != null ? dataDir.resolve(LocalSecretsManager.AUDIT_LOG) : null);
            builder.auditListener(console.auditListener()).webRoute(Console.PREFIX, console);
        }
        // The functions need the endpoint, known only once the server listens (the port may be 0).
        AtomicReference<RotationInvoker> functionsInvoker = new AtomicReference<>();
        if (samTemplate != null) {
            builder.rotationInvoker((arn, step) -> {
                RotationInvoker invoker = functionsInvoker.get();
                if (invoker == null) {
                    throw new IllegalStateException("the functions are not ready yet");
                }
                invoker.invoke(arn, step);
            });
        }
        LocalSecretsManager server;
        try {
            server = builder.build();
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (UncheckedIOException e) {
            return failed(err, e);
        }
        try {
            server.start();
        } catch (UncheckedIOException e) {
            server.close();
            return failed(err, e);
        }
        running.set(server);
        LocalFunctions functions = null;
        if (samTemplate != null) {
            functions = LocalFunctions.builder(samTemplate).envVars(env)
                    .idleTimeout(Duration.ofSeconds(idleTimeoutSeconds))
                    .region(server.region())
                    .environmentOverrides(Map.of("SECRETS_MANAGER_ENDPOINT", server.endpoint().toString()))
                    .logs((f, line) -> err.println("[" + f.functionName() + "] " + line))
                    .build();
            functionsInvoker.set(new LambdaRotationInvoker(functions, new LambdaRotationInvoker.Listener() {
                @Override
                public void started(FunctionDefinition function, RotationStep step) {
                }

                @Override
                public void finished(FunctionDefinition function, RotationStep step, InvocationResult result) {
                    // Lambda's REPORT line, so cold and warm invocations can be told apart.
                    err.println("[" + function.functionName() + "] REPORT RequestId: " + result.requestId()
                            + " Step: " + step.step()
                            + result.initDuration().map(d -> " Init Duration: " + d.toMillis() + " ms").orElse("")
                            + " Duration: " + result.duration().toMillis() + " ms"
                            + (result.success() ? "" : " Error: " + result.errorType()));
                }
            }));
        }
        LocalFunctions started = functions;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            alerts.close();
            if (started != null) {
                started.close();
            }
            stopped.countDown();
        }, "secretsmanager-shutdown"));
        // The endpoint line comes first: scripts and tests read it as the ready signal.
        out.println("Secrets Manager listening on " + server.endpoint());
        if (!noConsole) {
            out.println("Console on " + server.endpoint() + Console.PREFIX);
        }
        if (samTemplate != null) {
            SamTemplate t = samTemplate;
            t.functions().values().forEach(f -> out.println("Rotation function " + f.arn(server.region()) + " -> "
                    + f.handler()));
        } else {
            out.println("No template: RotateSecret has no functions to run (pass --template template.yaml)");
        }
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int usage(PrintWriter err, String message) {
        err.println("serve: " + message);
        return Main.USAGE;
    }

    /** The server could not listen or open its data directory: the message names what, the cause why. */
    private static int failed(PrintWriter err, UncheckedIOException e) {
        IOException cause = e.getCause();
        String reason = FileErrors.reason(cause);
        String message = e.getMessage().endsWith(reason) ? e.getMessage() : e.getMessage() + ": " + reason;
        err.println("serve: " + Character.toLowerCase(message.charAt(0)) + message.substring(1));
        return Main.FAILED;
    }
}
