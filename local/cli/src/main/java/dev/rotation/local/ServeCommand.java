package dev.rotation.local;

import dev.rotation.local.lambda.EnvVarsFile;
import dev.rotation.local.lambda.FunctionDefinition;
import dev.rotation.local.lambda.InvocationResult;
import dev.rotation.local.lambda.LambdaRotationInvoker;
import dev.rotation.local.lambda.LocalFunctions;
import dev.rotation.local.lambda.SamTemplate;
import dev.rotation.local.lambda.TemplateException;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationInvoker;
import dev.rotation.local.secretsmanager.RotationStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code serve}: runs the local Secrets Manager until SIGTERM or Ctrl-C, printing the endpoint URL
 * once it accepts requests. With a SAM template ({@code --template}, or {@code ./template.yaml} when it
 * exists; {@code --no-template} turns that off) RotateSecret and scheduled rotations run the template's
 * functions under the Lambda Java runtime, their SECRETS_MANAGER_ENDPOINT pointing at this server.
 * It listens on loopback only: a {@code --host} that is not a loopback address is refused unless
 * {@code --allow-remote} is given, and then a warning says that every secret is served, unauthenticated,
 * to the network. {@code --allowed-host NAME} adds a name the Host header may carry.
 */
final class ServeCommand {
    private ServeCommand() {
    }

    static int run(String[] args) {
        LocalSecretsManager.Builder builder = LocalSecretsManager.builder();
        Path templatePath = null;
        boolean useTemplate = true;
        Path envVarsPath = null;
        Duration idleTimeout = LocalFunctions.DEFAULT_IDLE_TIMEOUT;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--no-template")) {
                useTemplate = false;
                continue;
            }
            if (option.equals("--allow-remote")) {
                builder.allowRemote(true);
                continue;
            }
            if (i + 1 >= args.length) {
                System.err.println("serve: " + option + " needs a value");
                return 2;
            }
            String value = args[++i];
            switch (option) {
                case "--host" -> builder.host(value);
                case "--port" -> {
                    try {
                        builder.port(Integer.parseInt(value));
                    } catch (IllegalArgumentException e) {
                        System.err.println("serve: --port must be a number from 0 to 65535, got " + value);
                        return 2;
                    }
                }
                case "--allowed-host" -> {
                    try {
                        builder.allowedHost(value);
                    } catch (IllegalArgumentException e) {
                        System.err.println("serve: --allowed-host: " + e.getMessage());
                        return 2;
                    }
                }
                case "--data-dir" -> builder.dataDir(Path.of(value));
                case "--template" -> templatePath = Path.of(value);
                case "--env-vars" -> envVarsPath = Path.of(value);
                case "--idle-timeout" -> {
                    try {
                        idleTimeout = Duration.ofSeconds(Long.parseLong(value));
                        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                            throw new NumberFormatException();
                        }
                    } catch (NumberFormatException e) {
                        System.err.println("serve: --idle-timeout must be a positive number of seconds, got " + value);
                        return 2;
                    }
                }
                default -> {
                    System.err.println("serve: unknown option " + option);
                    return 2;
                }
            }
        }
        if (templatePath == null && useTemplate && Files.isRegularFile(Path.of("template.yaml"))) {
            templatePath = Path.of("template.yaml");
        }
        SamTemplate template = null;
        EnvVarsFile envVars = EnvVarsFile.empty();
        try {
            if (templatePath != null && useTemplate) {
                template = SamTemplate.read(templatePath, "us-east-1", Map.of());
            }
            if (envVarsPath != null) {
                envVars = EnvVarsFile.read(envVarsPath);
            }
        } catch (TemplateException e) {
            System.err.println("serve: " + e.getMessage());
            return 2;
        }
        // The functions need the endpoint, known only once the server listens (the port may be 0).
        AtomicReference<RotationInvoker> functionsInvoker = new AtomicReference<>();
        if (template != null) {
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
            System.err.println("serve: " + e.getMessage());
            return 2;
        }
        server.start();
        LocalFunctions functions = null;
        if (template != null) {
            functions = LocalFunctions.builder(template).envVars(envVars).idleTimeout(idleTimeout)
                    .region(server.region())
                    .environmentOverrides(Map.of("SECRETS_MANAGER_ENDPOINT", server.endpoint().toString()))
                    .logs((f, line) -> System.err.println("[" + f.functionName() + "] " + line))
                    .build();
            functionsInvoker.set(new LambdaRotationInvoker(functions, new LambdaRotationInvoker.Listener() {
                @Override
                public void started(FunctionDefinition function, RotationStep step) {
                }

                @Override
                public void finished(FunctionDefinition function, RotationStep step, InvocationResult result) {
                    // Lambda's REPORT line, so cold and warm invocations can be told apart.
                    System.err.println("[" + function.functionName() + "] REPORT RequestId: " + result.requestId()
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
            if (started != null) {
                started.close();
            }
            stopped.countDown();
        }, "secretsmanager-shutdown"));
        // The endpoint line comes first: scripts and tests read it as the ready signal.
        System.out.println("Secrets Manager listening on " + server.endpoint());
        if (template != null) {
            template.functions().values().forEach(f -> System.out.println("Rotation function "
                    + f.arn(server.region()) + " -> " + f.handler()));
        } else {
            System.out.println("No template: RotateSecret has no functions to run (pass --template template.yaml)");
        }
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
